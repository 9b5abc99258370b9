// Takes a subscription over from another session with TransferSubscriptions, as a second client (or a failover
// partner) would: node-opcua then sends the old session a StatusChangeNotification(GoodSubscriptionTransferred).
// Usage: node take-subscription.js <endpointUrl> <subscriptionId>
// Prints one line "TRANSFERRED <statusCode name>" and keeps its session (and so the subscription) until killed.
"use strict";
const { OPCUAClient, MessageSecurityMode, SecurityPolicy } = require("node-opcua");

async function main() {
  const [endpoint, idText] = process.argv.slice(2);
  const client = OPCUAClient.create({ endpointMustExist: false, securityMode: MessageSecurityMode.None, securityPolicy: SecurityPolicy.None });
  await client.connect(endpoint);
  const session = await client.createSession();
  const response = await session.transferSubscriptions({ subscriptionIds: [parseInt(idText, 10)], sendInitialValues: false });
  const status = response.results && response.results[0] ? response.results[0].statusCode.name : "none";
  console.log(`TRANSFERRED ${status}`);
  const stop = async () => { await session.close(true); await client.disconnect(); process.exit(0); };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  setInterval(() => {}, 1000);
}

main().catch((err) => {
  console.error("FATAL", err);
  process.exit(1);
});
