// Loaded into every ava worker (package.json ava.nodeArguments): the daemons on PATH are the image's.
import { pathWithShippedDaemons } from './shipped-daemons.js';

process.env.PATH = pathWithShippedDaemons();
