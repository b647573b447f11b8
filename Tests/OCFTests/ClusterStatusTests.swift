import OCF
import Replication
import Testing

@Suite struct ClusterStatusTests {
    /// The shape of `crm_mon -1 -A --output-as=xml` from pacemaker 2.1.5 (trimmed lab output).
    static let current = """
        <pacemaker-result api-version="2.29" request="crm_mon -1 -A --output-as=xml">
          <summary><stack type="corosync"/><current_dc present="true" version="2.1.5" name="pgn2" id="2" with_quorum="true" mixed_version="false"/></summary>
          <nodes>
            <node name="pgn1" id="1" online="true" standby="false" standby_onfail="false" maintenance="false" pending="false" unclean="false" shutdown="false" expected_up="true" is_dc="false" resources_running="2" type="member"/>
            <node name="pgn2" id="2" online="true" standby="false" is_dc="true" resources_running="1" type="member"/>
            <node name="pgn3" id="3" online="false" standby="false" is_dc="false" resources_running="0" type="member"/>
          </nodes>
          <resources>
            <clone id="pgsql-clone" multi_state="true" unique="false" managed="true" disabled="false" failed="false" failure_ignored="false">
              <resource id="pgsql" resource_agent="ocf:heartbeat:pgsql" role="Promoted" active="true" orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1">
                <node name="pgn1" id="1" cached="true"/>
              </resource>
              <resource id="pgsql" resource_agent="ocf:heartbeat:pgsql" role="Unpromoted" active="true" orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1">
                <node name="pgn2" id="2" cached="true"/>
              </resource>
              <resource id="pgsql" resource_agent="ocf:heartbeat:pgsql" role="Stopped" active="false" orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="0"/>
            </clone>
            <resource id="vip-master" resource_agent="ocf:heartbeat:IPaddr2" role="Started" active="true" orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1">
              <node name="pgn1" id="1" cached="true"/>
            </resource>
          </resources>
          <node_attributes>
            <node name="pgn1">
              <attribute name="master-pgsql" value="1000"/>
              <attribute name="pgsql-data-status" value="LATEST"/>
              <attribute name="pgsql-status" value="PRI"/>
            </node>
            <node name="pgn2">
              <attribute name="master-pgsql" value="100"/>
              <attribute name="pgsql-data-status" value="STREAMING|SYNC"/>
              <attribute name="pgsql-status" value="HS:sync"/>
              <attribute name="note" value="a &quot;quoted&quot; &amp; &lt;escaped&gt; &#65;"/>
            </node>
          </node_attributes>
          <status code="0" message="OK"/>
        </pacemaker-result>
        """

    @Test func readsNodesAttributesAndRoles() throws {
        let s = try ClusterStatus.parse(Self.current, resource: "pgsql")
        let pgn1 = try #require(NodeName("pgn1")), pgn2 = try #require(NodeName("pgn2")), pgn3 = try #require(NodeName("pgn3"))
        #expect(s.isOnline(pgn1) && s.isOnline(pgn2) && !s.isOnline(pgn3))
        #expect(s.nodes[pgn3] != nil, "an offline member is still a member")
        #expect(s.nodes[pgn3]?.knows("pgsql-data-status") == false, "crm_mon lists no attributes of an offline node")
        #expect(s.nodes[pgn1]?.knows("pgsql-xlog-loc") == true, "an online node's missing attribute has no value")
        #expect(s.attribute(pgn1, "pgsql-status") == "PRI")
        #expect(s.attribute(pgn2, "pgsql-data-status") == "STREAMING|SYNC")
        #expect(s.attribute(pgn2, "note") == "a \"quoted\" & <escaped> A")
        #expect(s.promotedNodes == [pgn1])
        #expect(s.roles[pgn2] == .unpromoted)
        #expect(s.roles.count == 2, "the VIP's node entry is not the resource's")
    }

    @Test(arguments: [
        ("quorate partition", #"<current_dc present="true" name="pgn2" id="2" with_quorum="true"/>"#, true),
        ("partition without quorum", #"<current_dc present="true" name="pgn1" id="1" with_quorum="false"/>"#, false),
        ("no DC elected", #"<current_dc present="false"/>"#, false),
        ("no summary at all", "", nil),
    ] as [(String, String, Bool?)])
    func quorum(_ name: String, _ dc: String, _ quorum: Bool?) throws {
        let xml = "<pacemaker-result><summary>\(dc)</summary><nodes/></pacemaker-result>"
        #expect(try ClusterStatus.parse(xml, resource: "pgsql").quorum == quorum, "\(name)")
    }

    @Test func legacyFormatAndRoleNames() throws {
        let xml = """
            <?xml version="1.0"?>
            <crm_mon version="1.1.23">
              <nodes><node name="a" id="1" online="true"/><node name="b" id="2" online="true"/></nodes>
              <resources><clone id="ms"><resource id="pgsql:0" role="Master" active="true"><node name="a" id="1"/></resource>
              <resource id="pgsql:1" role="Slave" active="true"><node name="b" id="2"/></resource></clone></resources>
              <node_attributes><node name="b"><attribute name="pgsql-status" value="HS:sync"/></node></node_attributes>
            </crm_mon>
            """
        let s = try ClusterStatus.parse(xml, resource: "pgsql")
        #expect(s.promotedNodes.map(\.rawValue) == ["a"])
        #expect(s.roles[NodeName.fixture("b")] == .unpromoted)
    }

    @Test func otherResourcesWithAPrefixDoNotCount() throws {
        let xml = """
            <pacemaker-result><nodes><node name="a" online="true"/></nodes><resources>
            <resource id="pgsql2" role="Promoted"><node name="a"/></resource></resources></pacemaker-result>
            """
        #expect(try ClusterStatus.parse(xml, resource: "pgsql").promotedNodes.isEmpty)
    }

    @Test(arguments: [
        "", "garbage", "<pacemaker-result>", "<pacemaker-result><nodes></pacemaker-result>",
        "<html><body/></html>", "<pacemaker-result><node name=\"a></pacemaker-result>",
        "Error: could not connect to the cluster",
    ])
    func garbageIsAnErrorNotACrash(_ text: String) {
        #expect(throws: ActionFailure.self) { try ClusterStatus.parse(text, resource: "pgsql") }
    }
}
