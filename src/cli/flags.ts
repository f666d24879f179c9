/** tracee's command line, parsed with commander into plain options. */
import { Command, CommanderError, Option } from "commander";
import { UsageError } from "../errors.ts";
import { LOG_LEVELS, type TraceeLogLevel } from "../log/logger.ts";

/** Output format chosen with --output (gotemplate=FILE sets templatePath). */
export type OutputFormat = "table" | "table-verbose" | "json" | "gotemplate";

/** `-o option:...` switches. */
export interface OutputOptions {
  parseArguments: boolean;
  parseArgumentsFds: boolean;
  execEnv: boolean;
  execHash: boolean;
  sortEvents: boolean;
}

/** Options of a tracing run. */
export interface RunOptions {
  readonly command: "run";
  readonly events: readonly string[];
  /** Legacy --filter/-f expressions. */
  readonly filters: readonly string[];
  /** --scope/-s expressions. */
  readonly scopes: readonly string[];
  /** --policy/-p files or directories. */
  readonly policies: readonly string[];
  readonly format: OutputFormat;
  /** The template file of `-o gotemplate=FILE`. */
  readonly templatePath?: string;
  readonly outputOptions: OutputOptions;
  readonly log: TraceeLogLevel;
  readonly installPath: string;
  readonly allowInsecureBpfFile: boolean;
  readonly ringBufferPages: number;
  /** --proctree: the process tree kept in user space. */
  readonly procTree: ProcTreeOptions;
  /** --signatures-dir: directories of user signatures (.ts/.js modules, CEL .yaml). */
  readonly signaturesDirs: readonly string[];
  /** --cri <runtime>:<socket> values (none: the runtimes' default sockets). */
  readonly cri: readonly string[];
  /** --no-containers: do not ask the runtimes about containers (ids only). */
  readonly noContainers: boolean;
}

/** `--proctree source=events|none,process-cache=N`. */
export interface ProcTreeOptions {
  /** "events": built from fork/exec/exit emitted for every process; "none": only on demand. */
  readonly source: "none" | "events";
  /** Most processes held. */
  readonly processCache: number;
}

/** `tracee list`. */
export interface ListOptions {
  readonly command: "list";
  /** Signatures to list besides the built-in ones. */
  readonly signaturesDirs: readonly string[];
}

/** `--help` printed; exit 0. */
export interface InfoOptions {
  readonly command: "info";
  readonly text: string;
}

/** `tracee version` or `--version`. */
export interface VersionOptions {
  readonly command: "version";
}

export type CliOptions = RunOptions | ListOptions | InfoOptions | VersionOptions;

const FORMATS: readonly OutputFormat[] = ["table", "table-verbose", "json"];
const OUTPUT_OPTIONS: Record<string, keyof OutputOptions> = {
  "parse-arguments": "parseArguments",
  "parse-arguments-fds": "parseArgumentsFds",
  "exec-env": "execEnv",
  "exec-hash": "execHash",
  "sort-events": "sortEvents",
};

/** Default ring buffer size in pages (16 MiB with 4 KiB pages). */
export const DEFAULT_RING_PAGES = 4096;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseOutputs(values: readonly string[]): {
  format: OutputFormat;
  templatePath?: string;
  options: OutputOptions;
} {
  let format: OutputFormat = "table";
  let templatePath: string | undefined;
  const options: OutputOptions = {
    parseArguments: false,
    parseArgumentsFds: false,
    execEnv: false,
    execHash: false,
    sortEvents: false,
  };
  for (const value of values.flatMap((v) => v.split(","))) {
    if (value.startsWith("option:")) {
      const key = OUTPUT_OPTIONS[value.slice("option:".length)];
      if (!key) {
        throw new UsageError(
          `Cannot parse --output: unknown option '${value}' (known: ${
            Object.keys(OUTPUT_OPTIONS).map((k) => `option:${k}`).join(", ")
          })`,
        );
      }
      options[key] = true;
    } else if (value.startsWith("gotemplate=")) {
      templatePath = value.slice("gotemplate=".length);
      if (templatePath === "") {
        throw new UsageError("Cannot parse --output: gotemplate= needs a template file");
      }
      format = "gotemplate";
    } else if ((FORMATS as readonly string[]).includes(value)) {
      format = value as OutputFormat;
    } else {
      throw new UsageError(
        `Cannot parse --output: unknown format '${value}' (known: ${
          FORMATS.join(", ")
        }, gotemplate=FILE)`,
      );
    }
  }
  // Resolving fds is part of parsing arguments, as in Tracee.
  if (options.parseArgumentsFds) options.parseArguments = true;
  return { format, templatePath, options };
}

const DEFAULT_PROCESS_CACHE = 65536;

function parseProcTree(values: readonly string[]): ProcTreeOptions {
  let source: ProcTreeOptions["source"] = "none";
  let processCache = DEFAULT_PROCESS_CACHE;
  for (const item of values.flatMap((v) => v.split(","))) {
    const [key, value = ""] = item.split("=", 2);
    if (key === "source" && (value === "events" || value === "none")) source = value;
    else if (key === "process-cache" && /^[1-9]\d{0,6}$/.test(value)) processCache = Number(value);
    else {
      throw new UsageError(
        `Cannot parse --proctree: '${item}' (known: source=events, source=none, process-cache=<1..9999999>)`,
      );
    }
  }
  return { source, processCache };
}

function parsePages(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0 || n > 262144) {
    throw new UsageError(
      `Cannot parse --ring-buffer-size: '${value}' is not a power of two between 1 and 262144 pages`,
    );
  }
  return n;
}

const HELP_AFTER = `
Environment:
  TRACEE_BPF_FILE   eBPF object to load instead of the embedded one (always wins)
  TRACEE_BTF_FILE   BTF file for CO-RE relocations on kernels without /sys/kernel/btf/vmlinux
  LIBBPF_PATH       libbpf shared library to use
  TRACEE_CACHE_DIR  where dist/tracee unpacks itself (default /var/cache/tracee)
`;

function program(version: string): Command {
  const cmd = new Command("tracee")
    .version(version, "-v, --version", "print tracee's version, its Deno and what it embeds")
    .description("Runtime security and forensics on eBPF: traces syscalls and process events")
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} })
    .allowExcessArguments(false)
    .option(
      "-e, --events <list>",
      "events, sets, globs (open*), exclusions (-close), argument filters (openat.data.pathname=/etc/*, openat.retval<0)",
      collect,
      [],
    )
    .option(
      "-s, --scope <expr>",
      "which processes: uid=0, uid>=1000, pid=, comm=bash, mntns=, pidns=, uts=, binary=/usr/bin/ls, tree=<pid>, container[=new|<id prefix>], container!=<id prefix>, !container (not-container), follow",
      collect,
      [],
    )
    .option(
      "-f, --filter <expr>",
      "legacy filters: event=, set=, any --scope expression, <event>.args.<arg>=, <event>.retval<0, retval!=0",
      collect,
      [],
    )
    .option(
      "-p, --policy <path>",
      "Tracee policy YAML file or directory (up to 64 policies)",
      collect,
      [],
    )
    .option(
      "-o, --output <format>",
      "table | table-verbose | json | gotemplate=FILE; option:parse-arguments, option:parse-arguments-fds, option:exec-env, option:exec-hash, option:sort-events",
      collect,
      [],
    )
    .addOption(
      new Option("-l, --log <level>", "log level").choices([...LOG_LEVELS]).default("info"),
    )
    .option(
      "--install-path <dir>",
      "where tracee keeps unpacked BTF and non CO-RE objects",
      "/tmp/tracee",
    )
    .option(
      "--allow-insecure-bpf-file",
      "load an eBPF object or BTF file even if it is not root-owned or is group/world-writable (warns)",
      false,
    )
    .option(
      "--ring-buffer-size <pages>",
      "ring buffer size in pages (power of two)",
      String(DEFAULT_RING_PAGES),
    )
    .option("--perf-buffer-size <pages>", "alias of --ring-buffer-size")
    .option(
      "--signatures-dir <dir>",
      "directory of signatures to load besides the built-in ones: TypeScript/JavaScript modules (.ts, .js) and CEL rules (.yaml); root-owned, not group/world-writable",
      collect,
      [],
    )
    .option(
      "--proctree <options>",
      "process tree in user space: source=events (fed by fork/exec/exit of every process), source=none; process-cache=N",
      collect,
      [],
    )
    .option(
      "--cri <runtime:socket>",
      "container runtime to ask for container names and images: docker|podman|crio|containerd:<socket path> (repeatable; default: each runtime's default socket that exists)",
      collect,
      [],
    )
    .option(
      "--no-containers",
      "do not ask container runtimes about containers: events carry container ids only",
    )
    .option("--list", "list every event and exit")
    .helpCommand(false)
    .action(() => {});
  cmd.command("list").description("list every event with its sets and arguments");
  cmd.command("version").description("print tracee's version, its Deno and what it embeds");
  return cmd;
}

/** The --help text. */
export function helpText(version = ""): string {
  return program(version).helpInformation() + HELP_AFTER;
}

/** Parses argv (without the program name). Throws UsageError on bad input. */
export function parseArgs(argv: readonly string[], version = "v0.0.0-dev"): CliOptions {
  const cmd = program(version);
  let sub: string | undefined;
  for (const c of cmd.commands) {
    c.action(() => {
      sub = c.name();
    });
  }
  try {
    cmd.parse([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.help") {
        return { command: "info", text: helpText(version) };
      }
      if (e.code === "commander.version") return { command: "version" };
      throw new UsageError(`Cannot parse flags: ${e.message.replace(/^error: /, "")}`);
    }
    throw e;
  }
  const o = cmd.opts<{
    events: string[];
    scope: string[];
    filter: string[];
    policy: string[];
    output: string[];
    log: TraceeLogLevel;
    installPath: string;
    allowInsecureBpfFile: boolean;
    ringBufferSize: string;
    perfBufferSize?: string;
    proctree: string[];
    signaturesDir: string[];
    cri: string[];
    containers: boolean;
    list?: boolean;
  }>();
  if (sub === "version") return { command: "version" };
  if (sub === "list" || o.list) return { command: "list", signaturesDirs: o.signaturesDir };
  const { format, templatePath, options } = parseOutputs(o.output);
  return {
    command: "run",
    events: o.events,
    filters: o.filter,
    scopes: o.scope,
    policies: o.policy,
    format,
    templatePath,
    outputOptions: options,
    log: o.log,
    installPath: o.installPath,
    allowInsecureBpfFile: o.allowInsecureBpfFile,
    ringBufferPages: parsePages(o.perfBufferSize ?? o.ringBufferSize),
    procTree: parseProcTree(o.proctree),
    signaturesDirs: o.signaturesDir,
    cri: o.cri,
    noContainers: o.containers === false,
  };
}
