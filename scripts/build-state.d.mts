/** The repository's root folder. */
export const root: string;
/** True when every output of `npm run build` exists and is newer than every input. */
export function isBuildFresh(): boolean;
