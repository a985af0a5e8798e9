#!/usr/bin/env node
// Host launcher of the exlb CLI: runs the TypeScript source through tsx. (The appliance runs the esbuild
// bundle of services/cli/main.ts instead, so nothing here is needed there.)
import { register } from 'tsx/esm/api';

register();
await import('../services/cli/main.ts');
