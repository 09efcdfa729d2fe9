/** GET /api/status, loaded by the shell and shared with pages (the workbench's default now(), counts). */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { StatusResponse } from '../server/api.js';

export interface StatusState { status: StatusResponse | undefined; refresh: () => void }
export const StatusContext = createContext<StatusState>({ status: undefined, refresh: () => {} });
export const useStatus = (): StatusState => useContext(StatusContext);
