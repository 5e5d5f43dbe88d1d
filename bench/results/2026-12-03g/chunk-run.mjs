// node /tmp/chunk-run.mjs DIR CHUNK WORKERS: one verifyRecord run of this checkout's dist; prints JSON.
const [dir, chunk, workers] = process.argv.slice(2);
const m = await import('/work/main/dist/node.js');
m.enableRelaxedSimd();
const c0 = process.cpuUsage(); const t0 = performance.now();
const rep = await m.verifyRecord(dir, { workers: Number(workers), chunkSize: Number(chunk) });
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ ok: rep.ok, ballots: rep.counts.ballots, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, rssMiB: process.resourceUsage().maxRSS / 1024, variant: m.wasmVariant() }));
