/**
 * TRC-1014 disk_mount: a disk image mounted through a loop device (/dev/loopN) in a container
 * fires; a tmpfs mounted there, or the same loop mount on the host, does not. Mounts happen in
 * the trigger's own mount namespace and are undone; the loop device is detached after.
 */
import assert from "node:assert/strict";
import type { TraceeEvent } from "../../../src/decode/event.ts";
import { kernelTest } from "../../helpers/kernel.ts";
import { triggerArg } from "../../helpers/detect.ts";
import { detectHeld, privateMountsPython } from "../../helpers/held_trigger.ts";
import { detectInContainer } from "../../helpers/container.ts";

/** Runs `fn` with a small ext2 image and an empty mount point. */
function withDisk<T>(fn: (img: string, mnt: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const img = `${dir}/disk.img`;
    Deno.writeFileSync(img, new Uint8Array(1 << 20));
    const mkfs = new Deno.Command("mkfs.ext2", { args: ["-q", "-F", img], stderr: "piped" })
      .outputSync();
    assert.ok(mkfs.success, `mkfs.ext2: ${new TextDecoder().decode(mkfs.stderr)}`);
    Deno.mkdirSync(`${dir}/mnt`);
    return await fn(img, `${dir}/mnt`);
  });
}

/**
 * mount(2) and umount(2) from the trigger itself: tracee finds the container of a live process,
 * and a mount(8) child would be gone by the time its event is handled.
 */
const MOUNT = String.raw`
import ctypes, subprocess
libc = ctypes.CDLL(None, use_errno=True)
def mount_and_unmount(source, target, fstype):
    if libc.mount(source.encode(), target.encode(), fstype.encode(), 0, None) != 0:
        raise OSError(ctypes.get_errno(), 'cannot mount ' + source)
    libc.umount2(target.encode(), 0)
def loop_mount_and_unmount(img, target):
    dev = subprocess.run(['losetup', '--find', '--show', img], check=True,
                         capture_output=True, text=True).stdout.strip()
    try:
        mount_and_unmount(dev, target, 'ext2')
    finally:
        subprocess.run(['losetup', '--detach', dev], check=True)
`;
import { withTempDir } from "../../helpers/safe_fs.ts";

/** Findings of mounts on `mnt`. */
const onMountPoint = (findings: TraceeEvent[], mnt: string) =>
  findings.filter((f) => triggerArg(f, "path") === mnt);

kernelTest("disk_mount: a disk image mounted through a loop device in a container", async () => {
  await withDisk(async (img, mnt) => {
    const { findings, hostPid } = await detectInContainer(
      ["disk_mount"],
      `${MOUNT}\nloop_mount_and_unmount('${img}', '${mnt}')`,
    );
    const mine = onMountPoint(findings, mnt);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.metadata?.Properties.signatureID, "TRC-1014");
    assert.equal(mine[0]!.hostProcessId, hostPid);
    assert.match(String(triggerArg(mine[0]!, "dev_name")), /^\/dev\/loop\d+$/);
  });
});

kernelTest("disk_mount near-miss: a tmpfs mounted in a container", async () => {
  await withDisk(async (_img, mnt) => {
    const { findings } = await detectInContainer(
      ["disk_mount"],
      `${MOUNT}\nmount_and_unmount('tmpfs', '${mnt}', 'tmpfs')`,
    );
    assert.equal(onMountPoint(findings, mnt).length, 0);
  });
});

kernelTest("disk_mount near-miss: the same loop mount on the host", async () => {
  await withDisk(async (img, mnt) => {
    const { findings } = await detectHeld(
      ["disk_mount"],
      () => privateMountsPython(`${MOUNT}\nloop_mount_and_unmount('${img}', '${mnt}')`),
    );
    assert.equal(onMountPoint(findings, mnt).length, 0);
  });
});
