/** The command table: one line per sub-command, loaded lazily so `kqlite check` does not load the web server. */
import { register } from './main.js';

// register('check', 'check KQL files, Sentinel rule YAML or stdin for errors', async () => (await import('./check.js')).check);
export {};
void register;
