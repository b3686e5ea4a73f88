// An SNS + SQS server for the publish tests: fauxqs (npm), bound to loopback only.
// (`startFauxqs` listens on 0.0.0.0; its `buildApp` lets us choose the address.)
import { buildApp } from 'fauxqs';

const app = buildApp({ logger: false, host: '127.0.0.1' });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ address })}\n`);
const stop = () => app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// dies with its parent
process.stdin.on('end', stop);
process.stdin.resume();
