import RegistryNode

/// Why `Gateway.start()` failed: an invalid `gateway` section, a bind failure or timeout (naming the
/// address), or a second start — the errors of every in-process HTTP server.
public typealias GatewayError = HTTPServerError
