"""The StatefulSet chapter's images: ``luksa/kubia-pet`` and ``luksa/kubia-pet-peers``.

*Kubernetes in Action* (chapter 10) builds them as it builds ``luksa/kubia``: an ``app.js`` on
``node:7``. The app keeps the body of the last ``POST`` in ``/var/data/kubia.txt`` (the
StatefulSet's claim is mounted on ``/var/data``) and shows it on a ``GET``; the ``-peers``
variant shows what every pod of the governing Service holds. The sources below are this
simulator's own rendering of that behaviour; what the simulation runs is the
:class:`~k8stui.engine.images.model.Behavior` attached to them.
"""

from __future__ import annotations

from k8stui.engine.images.catalog_layers import DAY
from k8stui.engine.images.docker_host import DockerHost
from k8stui.engine.images.model import Behavior, Image
from k8stui.engine.images.registry import Registry

DATA_FILE = "/var/data/kubia.txt"
PEERS_SERVICE = "kubia.default.svc.cluster.local"

_PET_APP = """const http = require('http');
const os = require('os');
const fs = require('fs');

const dataFile = "/var/data/kubia.txt";

console.log("Kubia server starting...");

function storedData() {
  return fs.existsSync(dataFile) ? fs.readFileSync(dataFile, 'utf8') : "No data posted yet";
}

var handler = function(request, response) {
  console.log("Received request from " + request.connection.remoteAddress);
  if (request.method == 'POST') {
    var out = fs.createWriteStream(dataFile);
    out.on('open', function() {
      request.pipe(out);
      response.writeHead(200);
      response.end("Data stored on pod " + os.hostname() + "\\n");
    });
    return;
  }
  response.writeHead(200);
  response.write("You've hit " + os.hostname() + "\\n");
  response.end("Data stored on this pod: " + storedData() + "\\n");
};

http.createServer(handler).listen(8080);
"""

_PEERS_APP = """const http = require('http');
const os = require('os');
const fs = require('fs');
const dns = require('dns');

const dataFile = "/var/data/kubia.txt";
const serviceName = "kubia.default.svc.cluster.local";

console.log("Kubia server starting...");

function storedData() {
  return fs.existsSync(dataFile) ? fs.readFileSync(dataFile, 'utf8') : "No data posted yet";
}

function askPeer(host, done) {
  http.get({host: host, port: 8080, path: '/data'}, function(answer) {
    var text = '';
    answer.on('data', function(chunk) { text += chunk; });
    answer.on('end', function() { done(text); });
  }).on('error', function(e) { done("Error: " + e.message); });
}

var handler = function(request, response) {
  console.log("Received request from " + request.connection.remoteAddress);
  if (request.method == 'POST') {
    var out = fs.createWriteStream(dataFile);
    out.on('open', function() {
      request.pipe(out);
      response.writeHead(200);
      response.end("Data stored on pod " + os.hostname() + "\\n");
    });
    return;
  }
  response.writeHead(200);
  if (request.url == '/data') {
    response.end(storedData());
    return;
  }
  response.write("You've hit " + os.hostname() + "\\n");
  response.write("Data stored in the cluster:\\n");
  dns.resolveSrv(serviceName, function(err, records) {
    if (err) {
      response.end("Could not look up DNS SRV records: " + err);
      return;
    }
    if (records.length == 0) {
      response.end("No peers discovered.");
      return;
    }
    var pending = records.length;
    records.forEach(function(record) {
      askPeer(record.name, function(text) {
        response.write("- " + record.name + ": " + text + "\\n");
        if (--pending == 0) response.end();
      });
    });
  });
};

http.createServer(handler).listen(8080);
"""


def stateful_images(node7: Image) -> list[Image]:
    """``luksa/kubia-pet`` and ``luksa/kubia-pet-peers`` (``latest``), built on ``node:7``."""
    host = DockerHost(Registry([node7]))
    pet = Behavior(
        ports=[8080],
        data_file=DATA_FILE,
        memory="9Mi",
        logs=["Kubia server starting..."],
        request_log="Received request from ::ffff:{client_ip}",
        shell=True,
        ignores_sigterm=True,  # node app.js as PID 1, no TERM handler
    )
    host.attach_behavior("luksa/kubia-pet", pet)
    host.attach_behavior(
        "luksa/kubia-pet-peers", pet.model_copy(update={"peers_service": PEERS_SERVICE})
    )
    dockerfile = 'FROM node:7\nADD app.js /app.js\nENTRYPOINT ["node", "app.js"]\n'
    built = []
    for offset, (name, source) in enumerate(
        (("luksa/kubia-pet:latest", _PET_APP), ("luksa/kubia-pet-peers:latest", _PEERS_APP))
    ):
        when = -2_550 * DAY + offset * 7 * DAY
        result = host.build(name, {"Dockerfile": dockerfile, "app.js": source}, now_ms=when)
        assert result.image is not None, result.error
        built.append(result.image)
    return built
