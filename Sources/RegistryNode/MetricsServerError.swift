/// Why `MetricsServer.start()` failed: the errors of every in-process HTTP server.
public typealias MetricsServerError = HTTPServerError
