// An independent Sparkplug B 3.0 host application for the EdgeOps tests, built on Eclipse Tahu's JavaScript
// sparkplug-payload (decode/encode) and the MQTT.js client that Tahu's sparkplug-client pins. It knows nothing of the
// gateway's code: it subscribes to spBv1.0/{group}/#, decodes every message, checks the session rules a host relies on,
// and prints one JSON line per message on stdout:
//   {"event":"message","topic":...,"type":"DDATA","device":"m1","seq":5,"bdSeq":null,"metrics":[...],"problems":[...]}
// problems lists every rule the message breaks (seq not one more than the previous message of the node, an alias no
// birth declared, an NDEATH whose bdSeq is not the last NBIRTH's, a DDATA for a device with no DBIRTH, ...).
// Commands arrive as JSON lines on stdin:
//   {"op":"state","online":true}                       retained spBv1.0/STATE/{host} (3.0 JSON payload)
//   {"op":"ncmd","metrics":[{"name":"Node Control/Rebirth","type":"Boolean","value":true}]}
//   {"op":"dcmd","device":"m1","metrics":[{"name":"Commands/Assign Reason","type":"String","value":"jam"}]}
//   {"op":"raw","topic":"spBv1.0/...","hex":"0a0b"}      any bytes, for the bad-input cases
// Usage: node host.js --url mqtt://127.0.0.1:1883 --group g --node n [--host h]
"use strict";
const mqtt = require("mqtt");
const sparkplug = require("sparkplug-payload").get("spBv1.0");
const readline = require("readline");

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
}

const group = args.group;
const node = args.node;
const hostId = args.host;
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");

// Long (protobufjs) and plain numbers alike, as JSON-safe numbers.
const num = (v) => (v === undefined || v === null ? null : typeof v === "object" && typeof v.toNumber === "function" ? v.toNumber() : typeof v === "bigint" ? Number(v) : v);
const plain = (v) => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString("hex") : typeof v === "object" && typeof v.toNumber === "function" ? v.toNumber() : v);

let lastSeq = null;          // seq of the node's previous message
let bdSeq = null;            // bdSeq of the last NBIRTH
const aliases = new Map();   // alias -> {device, name, type}
const born = new Set();      // devices with a DBIRTH in this session

const client = mqtt.connect(args.url, { clientId: `sparkplug-host-${process.pid}`, clean: true, protocolVersion: 4,
  will: hostId ? { topic: `spBv1.0/STATE/${hostId}`, payload: JSON.stringify({ online: false, timestamp: Date.now() }), qos: 1, retain: true } : undefined });

client.on("connect", () => {
  client.subscribe(`spBv1.0/${group}/#`, { qos: 1 }, (err) => {
    out(err ? { event: "error", message: String(err) } : { event: "ready" });
  });
});
client.on("error", (err) => out({ event: "error", message: String(err) }));

client.on("message", (topic, message) => {
  const parts = topic.split("/");
  const type = parts[2];
  const device = parts[4] ?? null;
  if (parts[3] !== node) {
    return;
  }
  if (type === "NCMD" || type === "DCMD") {
    out({ event: "command", topic, type, device, bytes: message.length });
    return;
  }
  const problems = [];
  let payload;
  try {
    payload = sparkplug.decodePayload(message);
  } catch (err) {
    out({ event: "message", topic, type, device, problems: [`does not decode: ${err}`] });
    return;
  }
  const seq = num(payload.seq);
  const metrics = (payload.metrics ?? []).map((m) => ({
    name: m.name ?? null,
    alias: num(m.alias),
    type: m.type,
    value: plain(m.value),
    timestamp: num(m.timestamp),
    isHistorical: m.isHistorical === true,
    properties: m.properties ? Object.fromEntries(Object.entries(m.properties).map(([k, p]) => [k, plain(p.value)])) : undefined,
  }));
  let messageBdSeq = null;
  const bd = metrics.find((m) => m.name === "bdSeq");
  if (bd) {
    messageBdSeq = bd.value;
  }

  if (type === "NDEATH") {
    if (seq !== null) problems.push("NDEATH carries a seq");
    if (messageBdSeq === null) problems.push("NDEATH has no bdSeq");
    else if (bdSeq !== null && messageBdSeq !== bdSeq) problems.push(`NDEATH bdSeq ${messageBdSeq} is not the last NBIRTH's ${bdSeq}`);
    lastSeq = null;
    born.clear();
  } else {
    if (seq === null) problems.push("no seq");
    else if (seq < 0 || seq > 255) problems.push(`seq ${seq} outside 0-255`);
    if (type === "NBIRTH") {
      if (seq !== 0) problems.push(`NBIRTH seq ${seq}, not 0`);
      if (messageBdSeq === null) problems.push("NBIRTH has no bdSeq");
      bdSeq = messageBdSeq;
      aliases.clear();
      born.clear();
    } else if (lastSeq === null) {
      problems.push(`${type} before any NBIRTH of this session`);
    } else if (seq !== (lastSeq + 1) % 256) {
      problems.push(`seq ${seq} after ${lastSeq}`);
    }
    lastSeq = seq;
  }

  if (type === "NBIRTH" || type === "DBIRTH") {
    for (const m of metrics) {
      if (m.name === null) problems.push("a birth metric without a name");
      if (m.type === undefined) problems.push(`birth metric ${m.name} without a datatype`);
      if (m.alias !== null) {
        const owner = aliases.get(m.alias);
        if (owner && (owner.device !== device || owner.name !== m.name)) problems.push(`alias ${m.alias} of ${m.name} already names ${owner.device}/${owner.name}`);
        aliases.set(m.alias, { device, name: m.name, type: m.type });
      }
    }
    if (type === "DBIRTH") born.add(device);
  }

  if (type === "DDATA" || type === "NDATA") {
    if (type === "DDATA" && !born.has(device)) problems.push(`DDATA for ${device}, which has no DBIRTH in this session`);
    for (const m of metrics) {
      if (m.alias !== null) {
        const owner = aliases.get(m.alias);
        if (!owner) problems.push(`alias ${m.alias} resolves to no birth metric`);
        else if (owner.device !== device) problems.push(`alias ${m.alias} is ${owner.device}'s, used on ${device}`);
        else m.name = owner.name;
      } else if (m.name === null) {
        problems.push("a data metric with neither alias nor name");
      }
    }
  }

  if (type === "DDEATH") born.delete(device);
  out({ event: "message", topic, type, device, seq, bdSeq: messageBdSeq, timestamp: num(payload.timestamp), metrics, problems });
});

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  let command;
  try {
    command = JSON.parse(line);
  } catch (err) {
    out({ event: "error", message: `bad command line: ${err}` });
    return;
  }
  const done = (what) => (err) => out(err ? { event: "error", message: String(err) } : { event: "sent", op: what });
  if (command.op === "state") {
    client.publish(`spBv1.0/STATE/${hostId}`, JSON.stringify({ online: command.online, timestamp: Date.now() }), { qos: 1, retain: true }, done("state"));
  } else if (command.op === "ncmd" || command.op === "dcmd") {
    const topic = command.op === "ncmd" ? `spBv1.0/${group}/NCMD/${node}` : `spBv1.0/${group}/DCMD/${node}/${command.device}`;
    const payload = sparkplug.encodePayload({ timestamp: Date.now(), metrics: command.metrics });
    client.publish(topic, Buffer.from(payload), { qos: 1 }, done(command.op));
  } else if (command.op === "raw") {
    client.publish(command.topic, Buffer.from(command.hex, "hex"), { qos: 1 }, done("raw"));
  } else {
    out({ event: "error", message: `unknown op ${command.op}` });
  }
});

const stop = () => client.end(false, () => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
