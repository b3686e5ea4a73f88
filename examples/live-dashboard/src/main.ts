import { startDashboard } from './app';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

startDashboard({ port, host }).then(
  dashboard => {
    console.log(`Tributary live dashboard on ${dashboard.url}  (WebSocket: ${dashboard.wsUrl})`);
    console.log('Open it in a browser or two, place orders, watch the events. Ctrl+C to stop.');
    const stop = () => {
      console.log('\nClosing (clients get 1001 going away)…');
      dashboard.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
  error => {
    console.error(`✘ ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
