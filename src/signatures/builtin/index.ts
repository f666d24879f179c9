/** Tracee's behavioural signatures, rewritten in TypeScript: one file each, upstream's ids. */
import type { Signature } from "../signature.ts";
import antiDebugging from "./anti_debugging.ts";
import aslrInspection from "./aslr_inspection.ts";
import cgroupNotifyOnRelease from "./cgroup_notify_on_release.ts";
import cgroupReleaseAgent from "./cgroup_release_agent.ts";
import corePatternModification from "./core_pattern_modification.ts";
import defaultLoaderMod from "./default_loader_mod.ts";
import diskMount from "./disk_mount.ts";
import dockerAbuse from "./docker_abuse.ts";
import droppedExecutable from "./dropped_executable.ts";
import dynamicCodeLoading from "./dynamic_code_loading.ts";
import filelessExecution from "./fileless_execution.ts";
import hiddenFileCreated from "./hidden_file_created.ts";
import hookedSeqOpsDetector from "./hooked_seq_ops_detector.ts";
import illegitimateShell from "./illegitimate_shell.ts";
import k8sApiConnection from "./k8s_api_connection.ts";
import k8sCertTheft from "./k8s_cert_theft.ts";
import k8sServiceAccountToken from "./k8s_service_account_token.ts";
import kernelModuleLoading from "./kernel_module_loading.ts";
import ldPreload from "./ld_preload.ts";
import procFopsHooking from "./proc_fops_hooking.ts";
import procKcoreRead from "./proc_kcore_read.ts";
import procMemAccess from "./proc_mem_access.ts";
import procMemCodeInjection from "./proc_mem_code_injection.ts";
import processVmWriteInject from "./process_vm_write_inject.ts";
import ptraceCodeInjection from "./ptrace_code_injection.ts";
import rcdModification from "./rcd_modification.ts";
import schedDebugRecon from "./sched_debug_recon.ts";
import scheduledTaskMod from "./scheduled_task_mod.ts";
import stdioOverSocket from "./stdio_over_socket.ts";
import sudoersModification from "./sudoers_modification.ts";
import syscallHooking from "./syscall_hooking.ts";
import systemRequestKeyMod from "./system_request_key_mod.ts";

/** Every built-in signature, in upstream's id order. */
export const builtinSignatures: readonly Signature[] = [
  stdioOverSocket, // TRC-101
  antiDebugging, // TRC-102
  ptraceCodeInjection, // TRC-103
  dynamicCodeLoading, // TRC-104
  filelessExecution, // TRC-105
  cgroupNotifyOnRelease, // TRC-106
  ldPreload, // TRC-107
  k8sServiceAccountToken, // TRC-108
  aslrInspection, // TRC-109
  cgroupReleaseAgent, // TRC-1010
  corePatternModification, // TRC-1011
  defaultLoaderMod, // TRC-1012
  k8sApiConnection, // TRC-1013
  diskMount, // TRC-1014
  hiddenFileCreated, // TRC-1015
  illegitimateShell, // TRC-1016
  kernelModuleLoading, // TRC-1017
  k8sCertTheft, // TRC-1018
  dockerAbuse, // TRC-1019
  procFopsHooking, // TRC-1020
  procKcoreRead, // TRC-1021
  droppedExecutable, // TRC-1022
  procMemAccess, // TRC-1023
  procMemCodeInjection, // TRC-1024
  processVmWriteInject, // TRC-1025
  rcdModification, // TRC-1026
  scheduledTaskMod, // TRC-1027
  sudoersModification, // TRC-1028
  schedDebugRecon, // TRC-1029
  syscallHooking, // TRC-1030
  systemRequestKeyMod, // TRC-1031
  hookedSeqOpsDetector, // DRV-003
];
