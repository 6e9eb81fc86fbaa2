#!/usr/bin/env node
// The `aduan` command (package.json "bin"): runs src/cli.ts through tsx, so `npx aduan …` works in a checkout
// and after `npm install -g`. Same commands as `npm run aduan -- …` (README.md).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
