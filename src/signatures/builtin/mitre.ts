/**
 * MITRE ATT&CK techniques that several built-in signatures report, named once: the technique's
 * name and its ATT&CK ids, as upstream's signature properties carry them.
 */

/** T1611: breaking out of a container to the host. */
export const ESCAPE_TO_HOST = {
  Technique: "Escape to Host",
  id: "attack-pattern--4a5b7ade-8bb5-4853-84ed-23f262002665",
  external_id: "T1611",
} as const;

/** T1014: code in the kernel hiding the attacker. */
export const ROOTKIT = {
  Technique: "Rootkit",
  id: "attack-pattern--0f20e3cb-245b-4a61-8a91-2d93f7cb0e9b",
  external_id: "T1014",
} as const;

/** T1574: making programs load the attacker's code. */
export const HIJACK_EXECUTION_FLOW = {
  Technique: "Hijack Execution Flow",
  id: "attack-pattern--aedfca76-3b30-4866-b2aa-0f1d7fd1e4b6",
  external_id: "T1574",
} as const;

/** T1068: using a weakness to gain privileges. */
export const EXPLOITATION_FOR_PRIVILEGE_ESCALATION = {
  Technique: "Exploitation for Privilege Escalation",
  id: "attack-pattern--b21c3b2d-02e6-45b1-980b-e69051040839",
  external_id: "T1068",
} as const;
