// A loopback reverse proxy that adds "Authorization: Bearer <token>" to every request and forwards
// everything else untouched (Host and Origin included, so DNS-rebinding checks still reach the server).
// The conformance suite has no option for a bearer token; this lets it test the server as deployed,
// with authentication on, instead of a build with authentication switched off.
import http from 'node:http';

export async function startAuthProxy(target, token) {
  const upstream = new URL(target);
  const inFlight = new Set();
  const server = http.createServer((request, response) => {
    const headers = { ...request.headers, authorization: `Bearer ${token}` };
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(response);
      });
    forwarded.on('error', (error) => {
      if (!response.headersSent) {
        response.writeHead(502, { 'content-type': 'text/plain' });
      }
      response.end(`proxy: ${error.message}`);
    });
    // A session's GET event stream stays open on the server until its client leaves: when the suite
    // drops a connection, drop the upstream one too, or it keeps this process alive after the run.
    inFlight.add(forwarded);
    response.on('close', () => {
      inFlight.delete(forwarded);
      forwarded.destroy();
    });
    request.pipe(forwarded);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: (path) => `http://127.0.0.1:${server.address().port}${path}`,
    close: () => new Promise((resolve) => {
      for (const forwarded of inFlight) {
        forwarded.destroy();
      }
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}
