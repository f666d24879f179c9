/**
 * TRC-101 stdio_over_socket: a TCP connection made stdin (dup2 onto fd 0, or connected as fd 0)
 * fires; a connection dup'ed elsewhere, or a unix socket made stdin, does not.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../../helpers/kernel.ts";
import { detectWhile, findingData, findingsBy, triggerArg } from "../../helpers/detect.ts";
import { pythonSpawn } from "../../helpers/triggers.ts";

const LISTENER = "import socket\nsrv = socket.socket()\nsrv.bind(('127.0.0.1', 0))\n" +
  "srv.listen(2)\nport = srv.getsockname()[1]\nprint(port)\n";

kernelTest(
  "stdio_over_socket: a TCP connection dup2'ed onto stdin, and one connected as fd 0",
  async () => {
    const { findings, acted } = await detectWhile(
      ["stdio_over_socket"],
      () =>
        pythonSpawn(
          LISTENER +
            "s = socket.create_connection(('127.0.0.1', port))\nos.dup2(s.fileno(), 0)\n" +
            "os.close(0)\nt = socket.socket()\nassert t.fileno() == 0\nt.connect(('127.0.0.1', port))",
        ),
    );
    const port = acted.out[0];
    const mine = findingsBy(findings, acted.pid);
    assert.deepEqual(
      mine.map((f) =>
        (f.args.find((a) => a.name === "triggeredBy")!.value as { name: string }).name
      )
        .sort(),
      ["security_socket_connect", "socket_dup"],
    );
    for (const f of mine) {
      assert.equal(f.metadata?.Properties.signatureID, "TRC-101");
      assert.equal(findingData(f, "IP address"), "127.0.0.1");
      assert.equal(findingData(f, "Port"), port);
      assert.equal(findingData(f, "File descriptor"), 0);
    }
    const dup = mine.find((f) => triggerArg(f, "newfd") !== undefined)!;
    assert.equal(triggerArg(dup, "newfd"), 0);
  },
);

kernelTest(
  "stdio_over_socket near-miss: a TCP connection on fd 10, a unix socket on stdin",
  async () => {
    const { findings, acted } = await detectWhile(
      ["stdio_over_socket"],
      () =>
        pythonSpawn(
          LISTENER +
            "s = socket.create_connection(('127.0.0.1', port))\nos.dup2(s.fileno(), 10)\n" +
            "a, b = socket.socketpair()\nos.dup2(a.fileno(), 0)",
        ),
    );
    assert.equal(findingsBy(findings, acted.pid).length, 0);
  },
);
