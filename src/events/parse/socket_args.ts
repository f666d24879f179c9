/** socket(2)/socketpair(2) arguments: domain, type and protocol (linux/socket.h, linux/in.h). */

import { bitmaskNames, enumName, type FlagTable } from "./flag_names.ts";

/** AF_INET: IPv4, whose protocols are IPPROTO_* numbers. */
const AF_INET = 2;

/** AF_INET6: IPv6, whose protocols are IPPROTO_* numbers too. */
const AF_INET6 = 10;

/** SOCK_TYPE_MASK: the low four bits of the type argument hold the socket type. */
const SOCK_TYPE_MASK = 0xf;

/** The address families (AF_LOCAL and AF_ROUTE are aliases of AF_UNIX and AF_NETLINK). */
export const SOCKET_DOMAINS: ReadonlyMap<number, string> = new Map([
  [0, "AF_UNSPEC"],
  [1, "AF_UNIX"],
  [AF_INET, "AF_INET"],
  [3, "AF_AX25"],
  [4, "AF_IPX"],
  [5, "AF_APPLETALK"],
  [6, "AF_NETROM"],
  [7, "AF_BRIDGE"],
  [8, "AF_ATMPVC"],
  [9, "AF_X25"],
  [AF_INET6, "AF_INET6"],
  [11, "AF_ROSE"],
  [12, "AF_DECnet"],
  [13, "AF_NETBEUI"],
  [14, "AF_SECURITY"],
  [15, "AF_KEY"],
  [16, "AF_NETLINK"],
  [17, "AF_PACKET"],
  [18, "AF_ASH"],
  [19, "AF_ECONET"],
  [20, "AF_ATMSVC"],
  [21, "AF_RDS"],
  [22, "AF_SNA"],
  [23, "AF_IRDA"],
  [24, "AF_PPPOX"],
  [25, "AF_WANPIPE"],
  [26, "AF_LLC"],
  [27, "AF_IB"],
  [28, "AF_MPLS"],
  [29, "AF_CAN"],
  [30, "AF_TIPC"],
  [31, "AF_BLUETOOTH"],
  [32, "AF_IUCV"],
  [33, "AF_RXRPC"],
  [34, "AF_ISDN"],
  [35, "AF_PHONET"],
  [36, "AF_IEEE802154"],
  [37, "AF_CAIF"],
  [38, "AF_ALG"],
  [39, "AF_NFC"],
  [40, "AF_VSOCK"],
  [41, "AF_KCM"],
  [42, "AF_QIPCRTR"],
  [43, "AF_SMC"],
  [44, "AF_XDP"],
  [45, "AF_MCTP"],
]);

/** The socket types, `type & SOCK_TYPE_MASK`. */
export const SOCKET_TYPES: ReadonlyMap<number, string> = new Map([
  [1, "SOCK_STREAM"],
  [2, "SOCK_DGRAM"],
  [3, "SOCK_RAW"],
  [4, "SOCK_RDM"],
  [5, "SOCK_SEQPACKET"],
  [6, "SOCK_DCCP"],
  [10, "SOCK_PACKET"],
]);

/** The flags above the socket type: O_NONBLOCK and O_CLOEXEC under socket names. */
export const SOCKET_TYPE_FLAGS: FlagTable = [
  [0o4000n, "SOCK_NONBLOCK"],
  [0o2000000n, "SOCK_CLOEXEC"],
];

/** The IP protocols (linux/in.h). 0 is IPPROTO_IP, the family's default protocol. */
export const IP_PROTOCOLS: ReadonlyMap<number, string> = new Map([
  [0, "IPPROTO_IP"],
  [1, "IPPROTO_ICMP"],
  [2, "IPPROTO_IGMP"],
  [4, "IPPROTO_IPIP"],
  [6, "IPPROTO_TCP"],
  [8, "IPPROTO_EGP"],
  [12, "IPPROTO_PUP"],
  [17, "IPPROTO_UDP"],
  [22, "IPPROTO_IDP"],
  [29, "IPPROTO_TP"],
  [33, "IPPROTO_DCCP"],
  [41, "IPPROTO_IPV6"],
  [46, "IPPROTO_RSVP"],
  [47, "IPPROTO_GRE"],
  [50, "IPPROTO_ESP"],
  [51, "IPPROTO_AH"],
  [92, "IPPROTO_MTP"],
  [94, "IPPROTO_BEETPH"],
  [98, "IPPROTO_ENCAP"],
  [103, "IPPROTO_PIM"],
  [108, "IPPROTO_COMP"],
  [115, "IPPROTO_L2TP"],
  [132, "IPPROTO_SCTP"],
  [136, "IPPROTO_UDPLITE"],
  [137, "IPPROTO_MPLS"],
  [143, "IPPROTO_ETHERNET"],
  [255, "IPPROTO_RAW"],
  [256, "IPPROTO_SMC"],
  [262, "IPPROTO_MPTCP"],
]);

/**
 * The IPv6 protocols: the IP ones plus the IPv6 headers of linux/in6.h. IPPROTO_HOPOPTS is left
 * out: it is 0, which prints as IPPROTO_IP for both families.
 */
export const IPV6_PROTOCOLS: ReadonlyMap<number, string> = new Map([
  ...IP_PROTOCOLS,
  [43, "IPPROTO_ROUTING"],
  [44, "IPPROTO_FRAGMENT"],
  [58, "IPPROTO_ICMPV6"],
  [59, "IPPROTO_NONE"],
  [60, "IPPROTO_DSTOPTS"],
  [135, "IPPROTO_MH"],
]);

/** A socket's address family, e.g. 2 → `AF_INET`; an unknown one in decimal. */
export function socketDomain(v: number): string {
  return enumName(v, SOCKET_DOMAINS);
}

/**
 * A socket type and its flags, e.g. 0x80801 → `SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC`. An
 * unknown type prints in decimal, unknown flags as a hex literal. Only the low 32 bits count.
 */
export function socketType(v: number): string {
  const type = v >>> 0;
  const base = enumName(type & SOCK_TYPE_MASK, SOCKET_TYPES);
  const flags = (type & ~SOCK_TYPE_MASK) >>> 0;
  return flags === 0 ? base : `${base}|${bitmaskNames(flags, SOCKET_TYPE_FLAGS)}`;
}

/**
 * A socket protocol, whose meaning depends on the domain: for AF_INET and AF_INET6 the IPPROTO_*
 * name (0 → `IPPROTO_IP`), for any other domain the number in decimal.
 */
export function socketProtocol(domain: number, v: number): string {
  if (domain === AF_INET) return enumName(v, IP_PROTOCOLS);
  if (domain === AF_INET6) return enumName(v, IPV6_PROTOCOLS);
  return String(v);
}
