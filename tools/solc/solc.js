#!/usr/bin/env node
// A `solc` command line over solcjs (the npm package `solc`), for tools that expect the native
// compiler: Foundry (`solc = "tools/solc/solc.js"` in foundry.toml) and `cargo xtask abi`.
//
// Foundry cannot download a native solc without network; solcjs is the same compiler built to
// WebAssembly and ships inside the npm lockfile. This script answers the subset of the native
// interface those tools use:
//
//   solc.js --version                        native-format version banner
//   solc.js --standard-json [--base-path P] [--include-path P]... [--allow-paths P,...]
//                                            Standard JSON on stdin, result on stdout
//   solc.js --abi [--base-path P] FILE...|-  JSON ABI of every contract, native layout
//
// Imports that the input does not carry are read from disk, relative to the base path (default:
// the working directory) and then each include path; nothing outside those roots (and the
// allowed paths) is read.
'use strict';

const fs = require('fs');
const path = require('path');

let solc;
try {
  solc = require('solc');
} catch (e) {
  process.stderr.write('solc.js: the npm package `solc` is missing; run `npm ci` at the repository root\n');
  process.exit(1);
}

const USAGE = `Usage: solc.js --version
       solc.js --standard-json [--base-path DIR] [--include-path DIR]... [--allow-paths DIR[,DIR]...]
       solc.js --abi [--base-path DIR] [--include-path DIR]... (FILE... | -)

A native-solc compatible front end for solcjs ${solc.version()}.
`;

function fail(message) {
  process.stderr.write(`solc.js: ${message}\n`);
  process.exit(1);
}

/** "0.8.30+commit.73712a01.Emscripten.clang" -> "0.8.30+commit.73712a01.Linux.g++" */
function nativeVersion() {
  const v = solc.version();
  const m = /^(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?\+commit\.[0-9a-f]+)/.exec(v);
  if (!m) fail(`cannot parse solcjs version "${v}"`);
  return `${m[1]}.Linux.g++`;
}

function parseArgs(argv) {
  const opts = { mode: null, basePath: null, includePaths: [], allowPaths: [], files: [] };
  const setMode = (mode) => {
    if (opts.mode && opts.mode !== mode) fail(`--${opts.mode} and --${mode} cannot be combined`);
    opts.mode = mode;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '--version': setMode('version'); break;
      case '--standard-json': setMode('standard-json'); break;
      case '--abi': setMode('abi'); break;
      case '--help': case '-h': process.stdout.write(USAGE); process.exit(0); break;
      case '--base-path': opts.basePath = value(); break;
      case '--include-path': opts.includePaths.push(value()); break;
      case '--allow-paths': opts.allowPaths.push(...value().split(',').filter(Boolean)); break;
      default:
        if (arg.startsWith('--')) fail(`unsupported option ${arg}\n${USAGE}`);
        opts.files.push(arg);
    }
  }
  if (!opts.mode) fail(`nothing to do\n${USAGE}`);
  return opts;
}

function isInside(root, file) {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The import callback solcjs calls for a source the input does not contain. */
function importReader(opts) {
  const base = path.resolve(opts.basePath || '.');
  const roots = [base, ...opts.includePaths.map((p) => path.resolve(p))];
  const allowed = [...roots, ...opts.allowPaths.map((p) => path.resolve(p))];
  return (importPath) => {
    const candidates = path.isAbsolute(importPath)
      ? [importPath]
      : roots.map((root) => path.join(root, importPath));
    for (const file of candidates) {
      const resolved = path.resolve(file);
      if (!allowed.some((root) => isInside(root, resolved))) continue;
      try {
        return { contents: fs.readFileSync(resolved, 'utf8') };
      } catch (e) {
        if (e.code !== 'ENOENT' && e.code !== 'EISDIR') return { error: `${resolved}: ${e.message}` };
      }
    }
    return { error: `File not found inside the allowed directories: ${importPath}` };
  };
}

function compile(input, opts) {
  return solc.compile(JSON.stringify(input), { import: importReader(opts) });
}

function standardJson(opts) {
  let input;
  try {
    input = JSON.parse(fs.readFileSync(0, 'utf8'));
  } catch (e) {
    fail(`standard JSON input on stdin is not valid JSON: ${e.message}`);
  }
  process.stdout.write(compile(input, opts));
  process.stdout.write('\n');
}

function abi(opts) {
  if (opts.files.length === 0) fail('--abi needs source files (or - for stdin)');
  const sources = {};
  for (const file of opts.files) {
    if (file === '-') sources['<stdin>'] = { content: fs.readFileSync(0, 'utf8') };
    else {
      try {
        sources[file] = { content: fs.readFileSync(file, 'utf8') };
      } catch (e) {
        fail(`${file}: ${e.message}`);
      }
    }
  }
  const input = {
    language: 'Solidity',
    sources,
    settings: { outputSelection: { '*': { '*': ['abi'] } } },
  };
  const output = JSON.parse(compile(input, opts));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  for (const e of output.errors || []) process.stderr.write(e.formattedMessage || `${e.message}\n`);
  if (errors.length > 0) process.exit(1);
  for (const [file, contracts] of Object.entries(output.contracts || {})) {
    for (const [name, artifact] of Object.entries(contracts)) {
      process.stdout.write(`\n======= ${file}:${name} =======\nContract JSON ABI\n`);
      process.stdout.write(`${JSON.stringify(artifact.abi)}\n`);
    }
  }
}

const opts = parseArgs(process.argv.slice(2));
switch (opts.mode) {
  case 'version':
    process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${nativeVersion()}\n`);
    break;
  case 'standard-json':
    standardJson(opts);
    break;
  case 'abi':
    abi(opts);
    break;
}
