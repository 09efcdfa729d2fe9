/**
 * Names that become file or folder names (tables, sources, watchlists, rule pages of the static site):
 * Windows takes `CON`, `PRN`, `AUX`, `NUL`, `COM1`-`COM9`, `LPT1`-`LPT9` (any case, with or without an
 * extension: `con.html`, `nul.json`) for devices in every folder, so such a file cannot be made there, and
 * a workspace or site made elsewhere would not open. Checked wherever kqlite names a file after user input.
 */
const WINDOWS_DEVICE = /^(CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3]|CONIN\$|CONOUT\$)$/i;

/** Whether Windows reads a file of this name as a device (the part before the first dot, trailing spaces ignored). */
export function isWindowsDeviceName(name: string): boolean {
  return WINDOWS_DEVICE.test(name.split('.')[0]!.replace(/ +$/, ''));
}

export const WINDOWS_DEVICE_NAMES = 'CON, PRN, AUX, NUL, COM1-9, LPT1-9';
