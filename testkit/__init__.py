"""What the tests and the benchmarks share: small real HTTP servers standing in for outside services, the real
servers started on free loopback ports, and the payloads and hostile bodies they send."""
