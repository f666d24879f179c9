/**
 * Python functions for triggers that touch the host's real files without changing them: prepend
 * FS_OPS to a trigger's code. Every file they create is theirs and removed again, with any
 * directory they had to make; an existing file is opened for writing but never written.
 */
export const FS_OPS = String.raw`
import ctypes, os
_libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD = -100
RENAME_NOREPLACE = 1

def make_parents(path):
    """Makes the missing directories above path; returns them, deepest first."""
    made = []
    d = os.path.dirname(path)
    while not os.path.exists(d):
        made.append(d)
        d = os.path.dirname(d)
    for m in reversed(made):
        os.mkdir(m, 0o755)
    return made

def remove_dirs(made):
    for m in made:
        os.rmdir(m)

def open_for_write(path):
    """Opens path for writing without changing it: an existing file with O_WRONLY|O_APPEND and
    nothing written; else a new empty file, removed again."""
    if os.path.exists(path):
        os.close(os.open(path, os.O_WRONLY | os.O_APPEND))
        return
    made = make_parents(path)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(path)
    finally:
        remove_dirs(made)

def rename_into(path, via):
    """Renames a new empty file from directory via (same filesystem) to path, never replacing
    a file there, then removes it."""
    made = make_parents(path)
    tmp = os.path.join(via, '.tracee-test-%d' % os.getpid())
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        if _libc.renameat2(AT_FDCWD, tmp.encode(), AT_FDCWD, path.encode(), RENAME_NOREPLACE):
            raise OSError(ctypes.get_errno(), 'cannot rename to ' + path)
        os.unlink(path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
        remove_dirs(made)
`;

/** Runs `fn` with a fresh directory of the test's own, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = Deno.makeTempDirSync({ prefix: "tracee-test-" });
  try {
    return await fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
