const http = require('http');
const os = require('os');
console.log("Kubia server starting...");
http.createServer((req, res) => {
  res.writeHead(200);
  res.end("You've hit " + os.hostname() + "\n");
}).listen(8080);
