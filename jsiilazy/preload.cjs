// Preloaded into the jsii kernel's Node process by package jsiilazy (through
// NODE_OPTIONS=--require). Do not edit without running its tests.
//
// @cdktf/provider-aws's lib/index.js is a barrel of about 2,000 lines of the
// form `exports.vpc = require("./vpc");`: requiring it compiles every AWS
// resource class (about 200 MB of JavaScript) although a stack uses a dozen.
// The jsii kernel finds a class by walking that module object by its FQN
// (closure.vpc.Vpc), so each line becomes a getter that requires its
// submodule on first access, one line for one line (stack traces keep their
// line numbers). The barrel is rewritten only when every `require(` in it has
// exactly that shape; any other shape (another bindings version) is left as
// it is: eager, slower, correct.
'use strict';
(function () {
  const off = ['off', '0', 'false', 'no'];
  if (off.includes(String(process.env.ALB_PRIVATELINK_LAZY || '').trim().toLowerCase())) return;

  const Module = require('module');
  const path = require('path');
  const barrel = /[\\/]@cdktf[\\/]provider-aws[\\/](?:[^\\/]+[\\/]){0,2}lib[\\/]index\.js$/;
  const eager = /^exports\.([A-Za-z_$][\w$]*) = require\("(\.\/[^"\\]+)"\);$/;
  const seen = [];

  function getter(name, spec) {
    const n = JSON.stringify(name);
    return `Object.defineProperty(exports, ${n}, { enumerable: true, configurable: true, get: function () { ` +
      `var m = require(${JSON.stringify(spec)}); ` +
      `Object.defineProperty(exports, ${n}, { value: m, enumerable: true, configurable: true, writable: true }); ` +
      `return m; } });`;
  }

  function rewrite(source) {
    const out = [];
    let count = 0;
    for (const line of source.split('\n')) {
      const m = eager.exec(line);
      if (m) {
        count++;
        out.push(getter(m[1], m[2]));
      } else if (/\brequire\s*\(/.test(line)) {
        return { code: null, count, reason: 'unexpected line: ' + line.trim().slice(0, 120) };
      } else {
        out.push(line);
      }
    }
    if (count === 0) return { code: null, count, reason: 'no `exports.x = require("./x");` lines' };
    return { code: out.join('\n'), count, reason: '' };
  }

  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename, ...rest) {
    if (typeof content === 'string' && barrel.test(filename)) {
      const r = rewrite(content);
      seen.push({ file: filename, applied: r.code !== null, reason: r.reason, submodules: r.count });
      if (r.code !== null) content = r.code;
    }
    return compile.call(this, content, filename, ...rest);
  };

  // ALB_PRIVATELINK_LAZY_REPORT=FILE: at exit, append one JSON line per
  // barrel this process compiled, with how many of its submodules it loaded.
  const report = process.env.ALB_PRIVATELINK_LAZY_REPORT;
  if (report) {
    process.on('exit', () => {
      const fs = require('fs');
      for (const b of seen) {
        const dir = path.dirname(b.file) + path.sep;
        const loaded = new Set();
        for (const f of Object.keys(require.cache)) {
          if (f !== b.file && f.startsWith(dir)) loaded.add(f.slice(dir.length).split(/[\\/]/)[0].replace(/\.js$/, ''));
        }
        fs.appendFileSync(report, JSON.stringify({ pid: process.pid, ...b, loaded: loaded.size }) + '\n');
      }
    });
  }
})();
