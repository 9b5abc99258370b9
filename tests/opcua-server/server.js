// node-opcua test server for the EdgeOps OPC UA client tests and benchmark. Binds 127.0.0.1 only.
// Options (command line, --name value):
//   --port <n>                     TCP port (required)
//   --pki <dir>                    certificate folder (default ./pki; created on first start)
//   --users alice:secret,bob:pw    accepted user names; anonymous is always allowed
//   --user-pki <dir>               certificate folder for X509 user identity tokens (default <pki>/user): a user
//                                  certificate is accepted only when it is in <dir>/trusted/certs (never automatically)
//   --token-lifetime <ms>          default secure channel token lifetime (node-opcua minimum 2500)
//   --max-nodes-per-read <n>, --max-nodes-per-browse <n>, --max-monitored-items-per-call <n>,
//   --max-nodes-per-translate <n>  operation limits (0 = node-opcua default)
//   --counters <n>                 UInt32 variables ns=1;s=Counter.<i> counting up every --interval ms
//   --interval <ms>                counter period (default 100)
//   --security-policies a,b        e.g. Basic256Sha256,Aes256_Sha256_RsaPss (default None,Basic256Sha256); without
//   --security-modes a,b           None among the modes the server still answers GetEndpoints on a restricted None channel
//   --allow-unsecure-password 1    accept a password in clear (token policy None)
//   --epoch <ms since 1970>        counters start at floor((now - epoch) / interval) and add 1 per tick: like a
//                                  PLC that kept counting while the server was down (a restart neither resets nor repeats them)
//   Counters live in Objects/Bulk/Folder.<k> objects, 100 per folder.
//   Plc.OrderId (String, "") and Plc.ProductCode (Int32, 0): writable, as an HMI writes the order and product the
//                                  machine runs (exception-based: every write is reported).
//   Method Plc.DropSubscriptions() deletes every session's subscriptions silently (no StatusChangeNotification).
//   --filler-run-ms <ms>, --filler-stop-ms <ms>, --filler-part-ms <ms>
//                                  the Filler object: a bottle filler reporting its state as integers (docs/engine.md,
//                                  "State codes"). Waits (MachineState 3, PackMlState 4 Idle) until Filler.Start() is
//                                  called, then cycles run-ms producing (MachineState 1, PackMlState 6 Execute, StatusWord
//                                  bits 0 and 3 (3 = no fault), one bottle every part-ms on Filler.Count) and stop-ms infeed empty
//                                  (MachineState 3, PackMlState 5 Suspended, StatusWord bits 3 and 5) until Filler.Stop(),
//                                  which leaves it infeed empty with the count frozen. Capper.StatusWord and Capper.Count
//                                  mirror Filler.StatusWord and Filler.Count (a capper downstream). Filler.UnitMode is 1
//                                  (Production) until Filler.SetUnitMode(n); Filler.StopReason 0. Wrong-typed nodes for bad-input tests: Filler.StateText (String
//                                  "1"), Filler.StateFlag (Boolean true), Filler.NegativeState (Int32 -5),
//                                  Filler.WideStatus (UInt32 0x10001, wider than 16 bits).
// Prints "READY port=<n>" when it accepts connections.
"use strict";
const path = require("path");
const {
  OPCUAServer, Variant, DataType, StatusCodes, OPCUACertificateManager, MessageSecurityMode, SecurityPolicy,
} = require("node-opcua");

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--")) throw new Error(`unexpected argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}

async function main() {
  const a = args();
  const port = parseInt(a.port || "4840", 10);
  const interval = parseInt(a.interval || "100", 10);
  const counters = parseInt(a.counters || "10", 10);
  const epoch = a.epoch ? parseInt(a.epoch, 10) : Date.now();
  const users = {};
  for (const pair of (a.users || "").split(",").filter((s) => s)) {
    const [u, p] = pair.split(":");
    users[u] = p;
  }
  const limit = (name) => (a[name] ? parseInt(a[name], 10) : undefined);
  const operationLimits = {};
  if (limit("max-nodes-per-read")) operationLimits.maxNodesPerRead = limit("max-nodes-per-read");
  if (limit("max-nodes-per-browse")) operationLimits.maxNodesPerBrowse = limit("max-nodes-per-browse");
  if (limit("max-monitored-items-per-call")) operationLimits.maxMonitoredItemsPerCall = limit("max-monitored-items-per-call");
  if (limit("max-nodes-per-translate")) operationLimits.maxNodesPerTranslateBrowsePathsToNodeIds = limit("max-nodes-per-translate");

  const pki = path.resolve(a.pki || path.join(__dirname, "pki"));
  const serverCertificateManager = new OPCUACertificateManager({ rootFolder: pki, automaticallyAcceptUnknownCertificate: true });
  const userCertificateManager = new OPCUACertificateManager({
    rootFolder: path.resolve(a["user-pki"] || path.join(pki, "user")), automaticallyAcceptUnknownCertificate: false,
  });
  const options = {
    port,
    host: "127.0.0.1",
    hostname: "127.0.0.1",
    resourcePath: "/UA/EdgeOps",
    // Basic256Sha256 is listed so node-opcua offers its "username_basic256Sha256" token policy on the None endpoint:
    // the password then travels RSA-OAEP encrypted with the server certificate (node-opcua's default behaviour).
    securityPolicies: a["security-policies"]
      ? a["security-policies"].split(",").map((p) => SecurityPolicy[p])
      : [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    securityModes: a["security-modes"]
      ? a["security-modes"].split(",").map((m) => MessageSecurityMode[m])
      : [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt],
    allowUnsecurePassword: a["allow-unsecure-password"] === "1",
    allowAnonymous: true,
    serverCertificateManager,
    userCertificateManager,
    userManager: { isValidUser: (user, password) => users[user] !== undefined && users[user] === password },
    maxConnectionsPerEndpoint: 100,
    serverCapabilities: { maxSessions: 50, operationLimits },
    buildInfo: { productName: "EdgeOps test server", manufacturerName: "EdgeOps" },
  };
  if (a["token-lifetime"]) options.defaultSecureTokenLifetime = parseInt(a["token-lifetime"], 10);
  const server = new OPCUAServer(options);
  await server.initialize();
  if (options.allowUnsecurePassword) {
    // node-opcua 2.182 does not pass allowUnsecurePassword on to its endpoints (a TODO in opcua_server.js): add the
    // clear-text user name token policy to the None endpoints by hand, as an old PLC would offer it.
    const { UserTokenPolicy, UserTokenType } = require("node-opcua");
    for (const endpoint of server.endpoints) {
      for (const description of endpoint.endpointDescriptions()) {
        if (description.securityMode === MessageSecurityMode.None) {
          description.userIdentityTokens.push(new UserTokenPolicy({
            policyId: "username_unsecure", tokenType: UserTokenType.UserName, securityPolicyUri: SecurityPolicy.None,
          }));
        }
      }
    }
  }

  const addressSpace = server.engine.addressSpace;
  const ns = addressSpace.getOwnNamespace();
  const plc = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Plc" });
  // Starts where a PLC that kept counting would be, then moves by exactly 1 per tick (no timer-jitter skips).
  let count = Math.max(0, Math.floor((Date.now() - epoch) / interval));
  const counterValue = () => count;

  ns.addVariable({
    componentOf: plc, nodeId: "s=Plc.PartCount", browseName: "PartCount", dataType: "UInt32",
    value: { get: () => new Variant({ dataType: DataType.UInt32, value: counterValue() >>> 0 }) },
    minimumSamplingInterval: 50,
  });
  let setpoint = 12.5;
  ns.addVariable({
    componentOf: plc, nodeId: "s=Plc.Setpoint", browseName: "Setpoint", dataType: "Double",
    accessLevel: "CurrentRead | CurrentWrite", userAccessLevel: "CurrentRead | CurrentWrite", minimumSamplingInterval: 100,
    value: {
      get: () => new Variant({ dataType: DataType.Double, value: setpoint }),
      set: (v) => { setpoint = v.value; return StatusCodes.Good; },
    },
  });
  ns.addVariable({
    componentOf: plc, nodeId: "s=Plc.Running", browseName: "Running", dataType: "Boolean",
    accessLevel: "CurrentRead", userAccessLevel: "CurrentRead",
    value: { get: () => new Variant({ dataType: DataType.Boolean, value: true }) }, minimumSamplingInterval: 100,
  });
  ns.addVariable({
    componentOf: plc, nodeId: "s=Plc.Temperature", browseName: "Temperature", dataType: "Double",
    value: { get: () => new Variant({ dataType: DataType.Double, value: 40 + Math.sin(Date.now() / 10000) }) }, minimumSamplingInterval: 100,
  });
  ns.addVariable({
    componentOf: plc, nodeId: "s=Server.SessionCount", browseName: "SessionCount", dataType: "UInt32",
    value: { get: () => new Variant({ dataType: DataType.UInt32, value: server.currentSessionCount }) }, minimumSamplingInterval: 100,
  });
  // Writable order and product inputs: a test writes them as an operator panel or the MES would.
  for (const [name, dataType, value] of [["OrderId", "String", ""], ["ProductCode", "Int32", 0]]) {
    const v = ns.addVariable({
      componentOf: plc, nodeId: `s=Plc.${name}`, browseName: name, dataType,
      accessLevel: "CurrentRead | CurrentWrite", userAccessLevel: "CurrentRead | CurrentWrite", minimumSamplingInterval: 0,
    });
    v.setValueFromSource(new Variant({ dataType: DataType[dataType], value }));
  }
  const add = ns.addMethod(plc, {
    nodeId: "s=Plc.Add", browseName: "Add",
    inputArguments: [
      { name: "a", dataType: DataType.Int32 },
      { name: "b", dataType: DataType.Int32 },
    ],
    outputArguments: [{ name: "sum", dataType: DataType.Int32 }],
  });
  add.bindMethod((inputs, _context, callback) => {
    callback(null, {
      statusCode: StatusCodes.Good,
      outputArguments: [{ dataType: DataType.Int32, value: inputs[0].value + inputs[1].value }],
    });
  });

  // Plc.DropSubscriptions(): the server forgets every subscription of every session without telling anyone (no
  // StatusChangeNotification), as a PLC may after a program download; Publish requests then get BadNoSubscription.
  // Returns how many it dropped.
  const drop = ns.addMethod(plc, {
    nodeId: "s=Plc.DropSubscriptions", browseName: "DropSubscriptions",
    outputArguments: [{ name: "dropped", dataType: DataType.UInt32 }],
  });
  drop.bindMethod((_inputs, _context, callback) => {
    let dropped = 0;
    for (const session of Object.values(server.engine._sessions)) {
      for (const subscription of session.publishEngine ? session.publishEngine.subscriptions : []) {
        if (session.deleteSubscription(subscription.id) === StatusCodes.Good) dropped += 1;
      }
    }
    callback(null, { statusCode: StatusCodes.Good, outputArguments: [{ dataType: DataType.UInt32, value: dropped }] });
  });

  addFiller(ns, addressSpace, {
    runMs: parseInt(a["filler-run-ms"] || "3000", 10),
    stopMs: parseInt(a["filler-stop-ms"] || "2000", 10),
    partMs: parseInt(a["filler-part-ms"] || "150", 10),
  });

  // Counters: each moves every interval, offset by its index so they do not all change in the same instant.
  const bulk = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Bulk" });
  const variables = [];
  let folder = bulk;
  for (let i = 0; i < counters; i++) {
    if (i % 100 === 0) folder = ns.addObject({ componentOf: bulk, browseName: `Folder.${i / 100}` });
    const v = ns.addVariable({
      componentOf: folder, nodeId: `s=Counter.${i}`, browseName: `Counter.${i}`, dataType: "UInt32",
      minimumSamplingInterval: 0, // exception-based: every change is reported
    });
    v.setValueFromSource(new Variant({ dataType: DataType.UInt32, value: counterValue() >>> 0 }));
    variables.push(v);
  }
  setInterval(() => {
    count += 1;
    const value = counterValue() >>> 0;
    const now = new Date();
    for (const v of variables) {
      v.setValueFromSource(new Variant({ dataType: DataType.UInt32, value }), StatusCodes.Good, now);
    }
  }, interval);

  await server.start();
  console.log(`READY port=${port} endpoint=${server.getEndpointUrl()} namespace=${ns.namespaceUri}`);
  const stop = async () => { await server.shutdown(0); process.exit(0); };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

// The Filler object (see the header). Values are pushed with setValueFromSource, so a subscription sees every change
// with the PLC's timestamp, and a state change and the last bottle before it carry the instants they happened at.
function addFiller(ns, addressSpace, { runMs, stopMs, partMs }) {
  const filler = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Filler" });
  const variable = (name, dataType, value) => {
    const v = ns.addVariable({ componentOf: filler, nodeId: `s=Filler.${name}`, browseName: name, dataType, minimumSamplingInterval: 0 });
    v.setValueFromSource(new Variant({ dataType: DataType[dataType], value }));
    return v;
  };
  const machineState = variable("MachineState", "Int32", 3);
  const packMlState = variable("PackMlState", "Int32", 4);
  const statusWord = variable("StatusWord", "UInt16", 0x0028);
  const count = variable("Count", "UInt32", 0);
  // The capper downstream: its PLC reports a status word and counts the same bottles.
  const capper = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Capper" });
  const capperVariable = (name, dataType) => {
    const v = ns.addVariable({ componentOf: capper, nodeId: `s=Capper.${name}`, browseName: name, dataType, minimumSamplingInterval: 0 });
    v.setValueFromSource(new Variant({ dataType: DataType[dataType], value: 0 }));
    return v;
  };
  const capperStatus = capperVariable("StatusWord", "UInt16");
  capperStatus.setValueFromSource(new Variant({ dataType: DataType.UInt16, value: 0x0028 }));
  const capperCount = capperVariable("Count", "UInt32");
  const unitMode = variable("UnitMode", "Int32", 1);
  variable("StopReason", "Int32", 0);
  variable("StateText", "String", "1");
  variable("StateFlag", "Boolean", true);
  variable("NegativeState", "Int32", -5);
  variable("WideStatus", "UInt32", 0x10001);

  let bottles = 0;
  let timers = [];
  const set = (v, dataType, value, when) => v.setValueFromSource(new Variant({ dataType, value }), StatusCodes.Good, when);
  const enter = (running) => {
    const now = new Date();
    set(machineState, DataType.Int32, running ? 1 : 3, now);
    set(packMlState, DataType.Int32, running ? 6 : 5, now);
    set(statusWord, DataType.UInt16, running ? 0x0009 : 0x0028, now);
    set(capperStatus, DataType.UInt16, running ? 0x0009 : 0x0028, now);
  };
  const stop = () => {
    for (const t of timers) clearInterval(t), clearTimeout(t);
    timers = [];
    enter(false);
  };
  const cycle = () => {
    enter(true);
    const part = setInterval(() => {
      bottles += 1;
      const now = new Date();
      set(count, DataType.UInt32, bottles >>> 0, now);
      set(capperCount, DataType.UInt32, bottles >>> 0, now);
    }, partMs);
    timers.push(part);
    timers.push(setTimeout(() => {
      clearInterval(part);
      enter(false);
      timers.push(setTimeout(cycle, stopMs));
    }, runMs));
  };
  const method = (name, fn) => ns.addMethod(filler, { nodeId: `s=Filler.${name}`, browseName: name, outputArguments: [{ name: "bottles", dataType: DataType.UInt32 }] })
    .bindMethod((_inputs, _context, callback) => {
      fn();
      callback(null, { statusCode: StatusCodes.Good, outputArguments: [{ dataType: DataType.UInt32, value: bottles >>> 0 }] });
    });
  method("Start", () => { stop(); cycle(); });
  method("Stop", stop);
  ns.addMethod(filler, { nodeId: "s=Filler.SetUnitMode", browseName: "SetUnitMode", inputArguments: [{ name: "mode", dataType: DataType.Int32 }] })
    .bindMethod((inputs, _context, callback) => {
      set(unitMode, DataType.Int32, inputs[0].value, new Date());
      callback(null, { statusCode: StatusCodes.Good, outputArguments: [] });
    });
}

main().catch((err) => {
  console.error("FATAL", err);
  process.exit(1);
});
