/**
 * The seeds' container workflows with the project's podman and a Debian base image made by
 * debootstrap (tools/podman.sh): slow (images are built), so `make test-containers` runs them.
 */
import assert from "node:assert/strict";
import { kernelTest, ROOT, uniqueName } from "../helpers/kernel.ts";
import { podman, PODMAN_ENV, podmanUnavailable, removeContainer } from "../helpers/podman.ts";
import { pump, runArgv } from "../helpers/tracee_process.ts";

const BASE = "localhost/tracee-base:debian12";
const MAKE_ENV = { ...PODMAN_ENV, ENGINE: "podman", BASE_IMAGE: BASE };

function make(...args: string[]): string {
  const r = runArgv(["make", "--no-print-directory", "-C", ROOT, ...args], MAKE_ENV);
  if (r.code !== 0) throw new Error(`make ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function isBpfElf(path: string): boolean {
  const b = Deno.readFileSync(path);
  // ELF, 64-bit, little endian, e_machine 247 (EM_BPF)
  return b[0] === 0x7f && b[1] === 0x45 && b[4] === 2 && b[18] === 247;
}

function containersTest(name: string, fn: () => Promise<void> | void): void {
  kernelTest(name, async () => {
    const why = podmanUnavailable();
    if (why) throw new Error(`podman is needed: ${why}`);
    const base = runArgv(["bash", `${ROOT}tools/podman.sh`, "image-debian"]);
    if (base.code !== 0) throw new Error(`the Debian base image: ${base.stderr}`);
    await fn();
  });
}

containersTest(
  "tracee-make: ubuntu-prepare, a shell in it builds the non CO-RE object; make bpf DOCKER=1",
  () => {
    make("-f", "builder/Makefile.tracee-make", "ubuntu-prepare");
    const out = `.output/test-shell-dist-${Deno.pid}`;
    Deno.mkdirSync(`${ROOT}.output`, { recursive: true });
    // the interactive target itself, in a pseudo-terminal, typed into as a user would
    const shell = new Deno.Command("script", {
      args: ["-qec", "make -f builder/Makefile.tracee-make ubuntu-shell", "/dev/null"],
      cwd: ROOT,
      env: MAKE_ENV,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = shell.stdin.getWriter();
    w.write(new TextEncoder().encode(`make bpf-nocore DIST=${out}; exit\n`));
    w.close();
    return shell.output().then((r) => {
      assert.equal(r.code, 0, new TextDecoder().decode(r.stdout));
      const built = [...Deno.readDirSync(`${ROOT}${out}`)].map((e) => e.name);
      assert.equal(built.length, 1);
      assert.match(built[0]!, /^tracee\.bpf\..+\.o$/);
      assert.ok(isBpfElf(`${ROOT}${out}/${built[0]}`));

      const docker = `.output/test-docker-dist-${Deno.pid}`;
      make("bpf", "DOCKER=1", `DIST=${docker}`);
      assert.ok(isBpfElf(`${ROOT}${docker}/tracee.bpf.core.o`));
      Deno.removeSync(`${ROOT}${out}`, { recursive: true });
      Deno.removeSync(`${ROOT}${docker}`, { recursive: true });
    });
  },
);

containersTest(
  "make image: the slim image traces the host, privileged, with a mounted TRACEE_BPF_FILE",
  async () => {
    make("image");
    assert.equal(
      podman("run", "--rm", "--entrypoint", "ls", "tracee:latest", "/tracee/Makefile"),
      "/tracee/Makefile",
      "the full image has the source tree",
    );
    make("install-bpf-nocore");
    const version = Deno.readTextFileSync(`${ROOT}.output/version`).trim().replaceAll(".", "_");
    const object = [...Deno.readDirSync("/tmp/tracee")].map((e) => e.name).find((n) =>
      n.startsWith("tracee.bpf.") && n.endsWith(`.${version}.o`)
    );
    assert.ok(object, "make install-bpf-nocore put the object in /tmp/tracee");
    const name = uniqueName("image");
    const marker = uniqueName("host-marker");
    const child = new Deno.Command("podman", {
      args: [
        "run",
        "--rm",
        "--name",
        name,
        "--privileged",
        "-v",
        "/tmp/tracee:/tmp/tracee",
        "-e",
        `TRACEE_BPF_FILE=/tmp/tracee/${object}`,
        "tracee:slim",
        "--log",
        "debug",
        "-o",
        "json",
        "-e",
        "openat",
        "--scope",
        "comm=cat",
      ],
      env: PODMAN_ENV,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stdout: string[] = [];
    const stderr: string[] = [];
    const pumps = [pump(child.stdout, stdout), pump(child.stderr, stderr)];
    try {
      const until = async (lines: string[], pred: (l: string) => boolean) => {
        for (let i = 0; i < 600; i++) {
          if (lines.some(pred)) return;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`not seen; stderr:\n${stderr.join("\n")}`);
      };
      await until(stderr, (l) => l.includes('"msg":"BPF: attached"'));
      assert.ok(
        stderr.some((l) =>
          l.includes('"msg":"BPF: using BPF object from environment"') && l.includes(object)
        ),
      );
      for (let i = 0; i < 40 && !stdout.some((l) => l.includes(marker)); i++) {
        new Deno.Command("cat", { args: [`/${marker}`], stderr: "null" }).outputSync();
        await new Promise((r) => setTimeout(r, 100));
      }
      await until(stdout, (l) => l.includes(`"value":"/${marker}"`));
      const e = JSON.parse(stdout.find((l) => l.includes(marker))!);
      assert.equal(e.processName, "cat");
      assert.equal(e.containerId, "", "a host process");
    } finally {
      runArgv(["podman", "kill", "--signal", "INT", name], PODMAN_ENV);
      await child.status;
      await Promise.all(pumps);
      removeContainer(name);
    }
    assert.match(stderr.at(-1) ?? "", /^tracee: \d+ events received, 0 lost in kernel/);
  },
);
