// node-opcua's own client making the same subscription as the EdgeOps benchmark, for comparison.
// Usage: node client-bench.js <endpointUrl> <items> <seconds> <samplingMs> [securityMode=None] [securityPolicy=None]
//        (e.g. SignAndEncrypt Basic256Sha256; node-opcua makes its client certificate in its default PKI folder and
//        accepts the server's, as the EdgeOps side trusts it before measuring)
// Prints one JSON line: {"values":..,"seconds":..,"cpuMs":..,"rssMb":..}
"use strict";
const { OPCUAClient, AttributeIds, TimestampsToReturn, ClientSubscription, ClientMonitoredItemGroup, MessageSecurityMode, SecurityPolicy } = require("node-opcua");

async function main() {
  const [endpoint, itemsText, secondsText, samplingText, modeText, policyText] = process.argv.slice(2);
  const items = parseInt(itemsText, 10);
  const seconds = parseFloat(secondsText);
  const sampling = parseInt(samplingText, 10);
  const client = OPCUAClient.create({
    endpointMustExist: false,
    securityMode: MessageSecurityMode[modeText || "None"],
    securityPolicy: SecurityPolicy[policyText || "None"],
  });
  await client.connect(endpoint);
  const session = await client.createSession();
  const subscription = ClientSubscription.create(session, {
    requestedPublishingInterval: sampling, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 60,
    maxNotificationsPerPublish: 0, publishingEnabled: true, priority: 0,
  });
  const nodes = [];
  for (let i = 0; i < items; i++) nodes.push({ nodeId: `ns=1;s=Counter.${i}`, attributeId: AttributeIds.Value });
  let values = 0;
  const group = ClientMonitoredItemGroup.create(subscription, nodes, { samplingInterval: sampling, queueSize: 10, discardOldest: true }, TimestampsToReturn.Both);
  group.on("changed", () => { values++; });
  await new Promise((resolve) => group.on("initialized", resolve));
  await new Promise((r) => setTimeout(r, 3000)); // warm-up, as the .NET side does
  values = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const counted = values;
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  console.log(JSON.stringify({ values: counted, seconds: elapsed, cpuMs: (cpu.user + cpu.system) / 1000, rssMb }));
  await subscription.terminate();
  await session.close();
  await client.disconnect();
  process.exit(0);
}

main().catch((err) => { console.error("FATAL", err); process.exit(1); });
