/**
 * TRC-1018: a Kubernetes TLS certificate or key (/etc/kubernetes/pki/) read by other than a
 * Kubernetes component, or moved away.
 */
import { readPath, stringArg } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

/** Kubernetes components that read the certificates as part of their job (process names). */
const LEGIT_PROCESSES = new Set(["kube-apiserver", "kubelet", "kube-controller", "etcd"]);
const CERTIFICATES_DIR = "/etc/kubernetes/pki/";

export default defineSignature({
  metadata: {
    id: "TRC-1018",
    version: "1",
    name: "K8s TLS certificate theft detected",
    eventName: "k8s_cert_theft",
    description:
      "Theft of Kubernetes TLS certificates was detected. TLS certificates are used to establish trust between systems. The Kubernetes certificate is used to to enable secure communication between Kubernetes components, such as kubelet scheduler controller and API Server. An adversary may steal a Kubernetes certificate on a compromised system to impersonate Kubernetes components within the cluster.",
    properties: {
      Severity: 3,
      Category: "credential-access",
      Technique: "Steal Application Access Token",
      Kubernetes_Technique: "",
      id: "attack-pattern--890c9858-598c-401d-a4d5-c67ebcdd703a",
      external_id: "T1528",
    },
  },
  selectedEvents: [
    { name: "security_file_open", origin: "*" },
    { name: "security_inode_rename", origin: "*" },
  ],
  onEvent(e, ctx) {
    let path: string;
    if (e.def.name === "security_inode_rename") path = stringArg(e, "old_path");
    else if (LEGIT_PROCESSES.has(e.processName)) return;
    else path = readPath(e);
    if (path.startsWith(CERTIFICATES_DIR)) ctx.detect();
  },
});
