// An S3-protocol server (s3rver) in a process of its own: `node scripts/s3rver.mjs <folder> <bucket>...` (tests and the cluster run).
// Listens on a free loopback port and prints {"port":N} once its buckets exist; stops on SIGTERM.
import S3rver from 's3rver';

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: Number(process.env.S3RVER_PORT ?? 0), silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
