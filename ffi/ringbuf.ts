/**
 * A BPF ring buffer map mapped into tracee's memory (the layout of kernel/bpf/ringbuf.c):
 * one read-write page holding the consumer position, then a read-only page holding the producer
 * position, followed by the data area mapped twice in a row so a record that wraps around the
 * end reads as one contiguous run. An epoll fd on the map wakes the consumer when data arrives.
 */
import { check, type NativeLibs } from "./libbpf.ts";

const PROT_READ = 1;
const PROT_WRITE = 2;
const MAP_SHARED = 1;
const EPOLL_CTL_ADD = 1;
const EPOLLIN = 1;
const SC_PAGESIZE = 30;
const MAP_FAILED = 0xffff_ffff_ffff_ffffn;

/** The mapped pages of one ring buffer. */
export class RingBufferMapping {
  /** Consumer position (u64 at offset 0), written by tracee. */
  readonly consumerPos: BigUint64Array;
  /** Producer position (u64 at offset 0), written by the kernel. */
  readonly producerPos: BigUint64Array;
  /** The data area, twice: records are read at (position & mask). */
  readonly data: DataView;
  /** The same bytes as `data`. */
  readonly bytes: Uint8Array;
  readonly mask: number;
  readonly #events = new Uint8Array(12 * 4);
  #closed = false;

  private constructor(
    private readonly libs: NativeLibs,
    private readonly pageSize: number,
    readonly size: number,
    private readonly consumerPtr: Deno.PointerObject,
    private readonly producerPtr: Deno.PointerObject,
    private readonly epollFd: number,
  ) {
    this.consumerPos = new BigUint64Array(
      Deno.UnsafePointerView.getArrayBuffer(consumerPtr, pageSize),
      0,
      1,
    );
    const all = Deno.UnsafePointerView.getArrayBuffer(producerPtr, pageSize + 2 * size);
    this.producerPos = new BigUint64Array(all, 0, 1);
    this.data = new DataView(all, pageSize, 2 * size);
    this.bytes = new Uint8Array(all, pageSize, 2 * size);
    this.mask = size - 1;
  }

  /** Maps the ring buffer map `fd` of `size` bytes (a power of two, multiple of the page size). */
  static map(libs: NativeLibs, fd: number, size: number): RingBufferMapping {
    const { libc } = libs;
    const pageSize = Number(libc.sysconf(SC_PAGESIZE));
    const mmap = (len: number, prot: number, offset: number, what: string) => {
      const p = libc.mmap(null, BigInt(len), prot, MAP_SHARED, fd, BigInt(offset));
      if (p === null || BigInt(Deno.UnsafePointer.value(p)) === MAP_FAILED) {
        throw new Error(`Cannot map the ring buffer ${what}: mmap failed`);
      }
      return p;
    };
    const consumer = mmap(pageSize, PROT_READ | PROT_WRITE, 0, "consumer page");
    let producer: Deno.PointerObject;
    try {
      producer = mmap(pageSize + 2 * size, PROT_READ, pageSize, "data pages");
    } catch (e) {
      libc.munmap(consumer, BigInt(pageSize));
      throw e;
    }
    const epfd = check("epoll_create1", libc.epoll_create1(0));
    const ev = new Uint8Array(12);
    new DataView(ev.buffer).setUint32(0, EPOLLIN, true);
    check("epoll_ctl", libc.epoll_ctl(epfd, EPOLL_CTL_ADD, fd, ev));
    return new RingBufferMapping(libs, pageSize, size, consumer, producer, epfd);
  }

  /** Resolves when the kernel signals new data or after `timeoutMs`. */
  async wait(timeoutMs: number): Promise<void> {
    if (this.#closed) return;
    await this.libs.libc.epoll_wait(this.epollFd, this.#events, 4, timeoutMs);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const { libc } = this.libs;
    libc.munmap(this.producerPtr, BigInt(this.pageSize + 2 * this.size));
    libc.munmap(this.consumerPtr, BigInt(this.pageSize));
    libc.close(this.epollFd);
  }
}
