import OCF

@testable import Agent

/// A recording stand-in for the local PostgreSQL server: answers SQL from a script, records each
/// query as `sql <text>` and each reload as `reload` in the shared ``EffectLog``.
final class FakeServer: LocalServer {
    let log: EffectLog
    var isRunning = true
    /// Answers a query; return nil to make it fail.
    var answer: (String) -> [[String?]]?

    init(log: EffectLog, answer: @escaping (String) -> [[String?]]? = { _ in [] }) {
        self.log = log
        self.answer = answer
    }

    func reload() throws(ActionFailure) { log.append("reload") }

    func query(_ sql: String) throws(ActionFailure) -> [[String?]] {
        log.append("sql " + sql)
        guard let rows = answer(sql) else {
            throw ActionFailure(.genericError, "PostgreSQL query failed (\(sql)): scripted failure")
        }
        return rows
    }

    func closeConnection() { log.append("close") }
}
