//go:build !unix

package lsl

import (
	"net"
	"syscall"
)

func reuseAddr(network, address string, c syscall.RawConn) error { return nil }

func setSendOptions(conn *net.UDPConn, v6 bool, ttl int) error { return nil }

func setMulticastInterface(conn *net.UDPConn, ifi *net.Interface) error { return nil }
