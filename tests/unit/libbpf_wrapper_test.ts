import assert from "node:assert/strict";
import { BpfObject, check, checkPtr, LibbpfError } from "../../ffi/libbpf.ts";
import { errnoName } from "../../ffi/errno.ts";
import { FakeLibbpf } from "../helpers/fake_libbpf.ts";

Deno.test("check turns a negative return into LibbpfError with the call and errno name", () => {
  assert.equal(check("bpf_object__load", 3), 3);
  const err = assert.throws(() => check("bpf_object__load", -13), (e: unknown) => {
    assert.ok(e instanceof LibbpfError);
    assert.equal(e.call, "bpf_object__load");
    assert.equal(e.errnoName, "EACCES");
    assert.equal(e.message, "bpf_object__load: EACCES");
    return true;
  });
  void err;
});

Deno.test("checkPtr reads errno of a NULL result through libbpf_get_error", () => {
  const fake = new FakeLibbpf({ fail: { bpf_object__open_mem: 22 } });
  assert.throws(
    () => BpfObject.openMem(fake.symbols, new Uint8Array(8)),
    (e: unknown) => e instanceof LibbpfError && e.message === "bpf_object__open_mem: EINVAL",
  );
  const ptr = Deno.UnsafePointer.create(0x10n);
  assert.equal(checkPtr(fake.symbols, "x", ptr), ptr);
});

Deno.test("errno names cover the common errors and fall back to the number", () => {
  assert.equal(errnoName(-2), "ENOENT");
  assert.equal(errnoName(111), "ECONNREFUSED");
  assert.equal(errnoName(4095), "errno 4095");
});

Deno.test("BpfObject lists programs, finds maps and closes once", () => {
  const fake = new FakeLibbpf({
    programs: [{ name: "a", section: "raw_tracepoint/sys_enter" }, {
      name: "b",
      section: "raw_tracepoint/sys_exit",
    }],
    maps: [{ name: "events", valueSize: 0, maxEntries: 4096 }],
  });
  const obj = BpfObject.openMem(fake.symbols, new Uint8Array(8));
  assert.deepEqual(obj.programs().map((p) => [p.name, p.sectionName]), [
    ["a", "raw_tracepoint/sys_enter"],
    ["b", "raw_tracepoint/sys_exit"],
  ]);
  assert.equal(obj.program("b").sectionName, "raw_tracepoint/sys_exit");
  assert.equal(obj.map("events").maxEntries, 4096);
  assert.throws(
    () => obj.map("nope"),
    (e: unknown) => e instanceof LibbpfError && e.errnoName === "ENOENT",
  );
  obj.close();
  obj.close();
  assert.equal(fake.calls.filter((c) => c === "bpf_object__close").length, 1);
});
