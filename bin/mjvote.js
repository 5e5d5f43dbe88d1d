#!/usr/bin/env node
// The `mjvote` command: the bundled command line (dist/cli/main.js, built by `npm run build`).
import { runMjvote } from '../dist/cli/main.js';

runMjvote();
