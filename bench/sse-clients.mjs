// SSE clients for the command bench, in a process of their own so the server's memory and event
// loop are measured alone. argv[2]: a JSON file { url, cookies: string[], kind }. Opens one
// connection per cookie; prints {"ready":n} once every stream has started; then prints
// {"received":[ms since epoch...],"connected":n,"errors":n} when each stream has carried an update
// of `kind`, or after 30 s.
import fs from 'node:fs';
import http from 'node:http';

const { url, cookies, kind } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const target = new URL(url);
const now = () => performance.timeOrigin + performance.now();
const received = new Array(cookies.length).fill(null);
let started = 0;
let errors = 0;
let done = false;

function finish() {
  if (done) return;
  done = true;
  process.stdout.write(
    `${JSON.stringify({ received: received.filter((x) => x !== null), connected: started, errors })}\n`,
  );
  process.exit(0);
}

cookies.forEach((cookie, i) => {
  const req = http.get(
    {
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      agent: false,
      headers: { cookie, accept: 'text/event-stream' },
    },
    (res) => {
      if (res.statusCode !== 200) {
        errors++;
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let buf = '';
      let first = true;
      res.on('data', (chunk) => {
        if (first) {
          first = false;
          if (++started === cookies.length) process.stdout.write(`${JSON.stringify({ ready: started })}\n`);
        }
        buf += chunk;
        let at;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, at);
          buf = buf.slice(at + 2);
          const data = frame
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n');
          if (!data || received[i] !== null) continue;
          try {
            if (JSON.parse(data).kind === kind) {
              received[i] = now();
              if (received.every((x) => x !== null)) finish();
            }
          } catch {
            errors++;
          }
        }
      });
      res.on('error', () => errors++);
    },
  );
  req.on('error', () => errors++);
});

// The bench says when it has issued the directive; give the streams 30 s from then.
process.stdin.on('data', () => setTimeout(finish, 30_000).unref());
setTimeout(finish, 300_000).unref();
