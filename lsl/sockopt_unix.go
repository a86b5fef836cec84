//go:build unix

package lsl

import (
	"net"
	"syscall"
)

// reuseAddr sets SO_REUSEADDR, so that every outlet of a host can bind the
// discovery port (as liblsl's multicast responders do).
func reuseAddr(network, address string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
	})
	if err != nil {
		return err
	}
	return serr
}

// setSendOptions allows broadcast on a resolver's socket and sets the TTL
// (hop limit) of its multicast packets.
func setSendOptions(conn *net.UDPConn, v6 bool, ttl int) error {
	rc, err := conn.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	err = rc.Control(func(fd uintptr) {
		if v6 {
			serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_MULTICAST_HOPS, ttl)
			return
		}
		if serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_BROADCAST, 1); serr != nil {
			return
		}
		serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, syscall.IP_MULTICAST_TTL, ttl)
	})
	if err != nil {
		return err
	}
	return serr
}

// setMulticastInterface makes conn send IPv4 multicast out of ifi (its first
// IPv4 address).
func setMulticastInterface(conn *net.UDPConn, ifi *net.Interface) error {
	addrs, err := ifi.Addrs()
	if err != nil {
		return err
	}
	var a4 [4]byte
	found := false
	for _, ad := range addrs {
		if ipn, ok := ad.(*net.IPNet); ok && ipn.IP.To4() != nil {
			copy(a4[:], ipn.IP.To4())
			found = true
			break
		}
	}
	if !found {
		return syscall.EADDRNOTAVAIL
	}
	rc, err := conn.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	err = rc.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInet4Addr(int(fd), syscall.IPPROTO_IP, syscall.IP_MULTICAST_IF, a4)
	})
	if err != nil {
		return err
	}
	return serr
}
