export { scaffold } from './scaffold';
export { parseCommandLine, USAGE } from './parseCommandLine';
export { ScaffoldError } from './ScaffoldError';
export { DEFAULT_SCAFFOLD_OPTIONS, TRANSPORTS } from './ScaffoldOptions';
export type { ScaffoldOptions, TransportName } from './ScaffoldOptions';
