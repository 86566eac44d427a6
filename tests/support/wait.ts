export { sleep, waitFor, waitUntil } from '../../scripts/support/wait.mjs';
