import OCF
import Replication
import Testing

@Suite struct NotifyEventTests {
    private let prefix = "OCF_RESKEY_CRM_meta_notify_"

    @Test func absentWithoutNotifyVariables() throws {
        #expect(try NotifyEvent.parse([:]) == nil)
    }

    @Test func readsListsAndTreatsASingleSpaceAsEmpty() throws {
        let event = try #require(
            try NotifyEvent.parse([
                prefix + "type": "pre", prefix + "operation": "promote",
                prefix + "promote_uname": "pgn2", prefix + "promoted_uname": " ",
                prefix + "unpromoted_uname": "pgn1 pgn2", prefix + "active_uname": "pgn1 pgn2",
            ]))
        #expect(event.kind == .pre)
        #expect(event.operation == .promote)
        #expect(event.nodes(.promote) == [NodeName("pgn2")].compactMap { $0 })
        #expect(event.nodes(.promoted).isEmpty)
        #expect(event.nodes(.unpromoted).map(\.rawValue) == ["pgn1", "pgn2"])
        #expect(event.nodes(.stop).isEmpty)
    }

    @Test func fallsBackToLegacyMasterAndSlaveNames() throws {
        let event = try #require(
            try NotifyEvent.parse([
                prefix + "type": "post", prefix + "operation": "demote",
                prefix + "master_uname": "pgn1", prefix + "slave_uname": " ",
            ]))
        #expect(event.nodes(.promoted).map(\.rawValue) == ["pgn1"])
        #expect(event.nodes(.unpromoted).isEmpty)
    }

    @Test func newNamesWinOverLegacyNames() throws {
        let event = try #require(
            try NotifyEvent.parse([
                prefix + "type": "post", prefix + "operation": "start",
                prefix + "promoted_uname": "pgn2", prefix + "master_uname": "pgn1",
            ]))
        #expect(event.nodes(.promoted).map(\.rawValue) == ["pgn2"])
    }

    @Test(arguments: [("middle", "start"), ("pre", "reload")])
    func unknownTypeOrOperationIsInvalid(_ type: String, _ operation: String) {
        #expect(throws: ActionFailure.self) {
            try NotifyEvent.parse([prefix + "type": type, prefix + "operation": operation])
        }
    }

    @Test func controlCharactersInAListAreInvalid() {
        #expect(throws: ActionFailure.self) {
            try NotifyEvent.parse([
                prefix + "type": "pre", prefix + "operation": "start", prefix + "start_uname": "pg\u{7}n1",
            ])
        }
    }
}
