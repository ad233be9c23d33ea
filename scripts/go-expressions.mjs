// Reads the few Go expression forms that secret scanners' tests build their samples with:
// string literals (interpreted and raw), `+`, `[]string{…}`, map literals (their values),
// append(…), fmt.Sprintf with %s/%d/%v, strings.Repeat, variables, and calls given by the caller.
// Used by scripts/secret-samples.mjs and scripts/trufflehog-samples.mjs; evaluates, never runs, Go.
export function tokenize(src) {
  const tokens = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      i = src.indexOf('*/', i) + 2;
    } else if (c === '\n') {
      tokens.push({ t: 'nl' });
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (src[j] !== '"') {
        if (src[j] === '\\') {
          const e = src[j + 1];
          const map = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', "'": "'" };
          if (e in map) {
            s += map[e];
            j += 2;
          } else if (e === 'x' || e === 'u') {
            const digits = e === 'x' ? 2 : 4;
            s += String.fromCharCode(parseInt(src.slice(j + 2, j + 2 + digits), 16));
            j += 2 + digits;
          } else throw new Error('escape ' + e);
        } else s += src[j++];
      }
      tokens.push({ t: 'str', v: s });
      i = j + 1;
    } else if (c === '`') {
      const j = src.indexOf('`', i + 1);
      tokens.push({ t: 'str', v: src.slice(i + 1, j) });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (/[\w.]/.test(src[j])) j++;
      tokens.push({ t: 'id', v: src.slice(i, j) });
      i = j;
    } else if (src.startsWith(':=', i) || src.startsWith('...', i)) {
      tokens.push({ t: 'p', v: src.startsWith(':=', i) ? ':=' : '...' });
      i += src.startsWith(':=', i) ? 2 : 3;
    } else if (/[0-9]/.test(c)) {
      let j = i;
      while (/[0-9]/.test(src[j])) j++;
      tokens.push({ t: 'num', v: Number(src.slice(i, j)) });
      i = j;
    } else {
      tokens.push({ t: 'p', v: c });
      i++;
    }
  }
  return tokens;
}

export class Parser {
  /** `functions`: name → (args) => value, for calls beyond append, fmt.Sprintf and strings.Repeat. */
  constructor(tokens, vars, functions = {}) {
    this.k = tokens;
    this.i = 0;
    this.vars = vars;
    this.functions = functions;
  }
  peek() {
    return this.k[this.i];
  }
  skipNl() {
    while (this.peek()?.t === 'nl') this.i++;
  }
  eat(v) {
    this.skipNl();
    const tok = this.k[this.i++];
    if (!tok || tok.v !== v) throw new Error(`expected ${v}, got ${tok?.v ?? tok?.t}`);
  }
  expr() {
    let value = this.term();
    while (this.peek()?.v === '+') {
      this.i++;
      this.skipNl();
      value = value + this.term();
    }
    return value;
  }
  args() {
    this.eat('(');
    const out = [];
    this.skipNl();
    while (this.peek().v !== ')') {
      let value = this.expr();
      if (this.peek()?.v === '...') {
        this.i++;
        value = { spread: value };
      }
      out.push(value);
      this.skipNl();
      if (this.peek().v === ',') this.i++;
      this.skipNl();
    }
    this.i++;
    return out;
  }
  term() {
    this.skipNl();
    const tok = this.k[this.i++];
    if (tok.t === 'str') return tok.v;
    if (tok.t === 'p' && tok.v === '[') {
      this.eat(']');
      this.eat('string');
      return this.list('}');
    }
    if (tok.t === 'id' && tok.v === 'map') {
      while (this.peek().v !== '{') this.i++;
      const items = this.list('}', true);
      return items;
    }
    if (tok.t === 'id') {
      const name = tok.v;
      if (this.peek()?.v !== '(') {
        if (name in this.vars) return this.vars[name];
        throw new Error('unknown ' + name);
      }
      const args = this.args();
      if (name in this.functions) return this.functions[name](...args);
      if (name === 'append') return [...args[0], ...args.slice(1).flatMap((a) => (a && a.spread ? a.spread : [a]))];
      if (name === 'fmt.Sprintf') {
        let n = 1;
        return args[0].replace(/%[sdv]/g, () => String(args[n++]));
      }
      if (name === 'strings.Repeat') return args[0].repeat(args[1]);
      throw new Error('unknown function ' + name);
    }
    if (tok.t === 'num') return tok.v;
    throw new Error('unexpected ' + (tok.v ?? tok.t));
  }
  /** `{ a, b, }` or `{ "k": v, }` (the values of a map). */
  list(close, isMap = false) {
    this.eat('{');
    const out = [];
    this.skipNl();
    while (this.peek().v !== close) {
      let value = this.expr();
      this.skipNl();
      if (isMap && this.peek().v === ':') {
        this.i++;
        value = this.expr();
      }
      out.push(value);
      this.skipNl();
      if (this.peek().v === ',') this.i++;
      this.skipNl();
    }
    this.i++;
    return out;
  }
}

