/** TRC-108: a Kubernetes service account token read in a container by other than k8s itself. */
import { readPath } from "../event_args.ts";
import { defineSignature } from "../signature.ts";

/** Kubernetes components that read the token as part of their job (process names). */
const LEGIT_PROCESSES = new Set([
  "flanneld",
  "kube-proxy",
  "etcd",
  "kube-apiserver",
  "coredns",
  "kube-controller",
  "kubectl",
]);
/** The token as a pod sees it (…/secrets/kubernetes.io/serviceaccount/token, or a ..data link). */
const TOKEN_PATH = /secrets\/kubernetes.io\/serviceaccount.+token$/;

export default defineSignature({
  metadata: {
    id: "TRC-108",
    version: "1",
    name: "K8s service account token file read",
    eventName: "k8s_service_account_token",
    description:
      "The Kubernetes service account token file was read on your container. This token is used to communicate with the Kubernetes API Server. Adversaries may try to communicate with the API Server to steal information and/or credentials, or even run more containers and laterally extend their grip on the systems.",
    properties: {
      Severity: 0,
      Category: "credential-access",
      Technique: "Exploitation for Credential Access",
      Kubernetes_Technique: "Container service account",
      id: "attack-pattern--9c306d8d-cde7-4b4c-b6e8-d0bb16caca36",
      external_id: "T1212",
    },
  },
  selectedEvents: [{ name: "security_file_open", origin: "container" }],
  onEvent(e, ctx) {
    if (LEGIT_PROCESSES.has(e.processName)) return;
    if (TOKEN_PATH.test(readPath(e))) ctx.detect();
  },
});
