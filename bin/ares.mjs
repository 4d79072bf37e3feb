#!/usr/bin/env node
// The `ares` command: runs the TypeScript CLI through tsx, so the repository needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/main.ts');
