//! Safe expressions in one variable, written in a subset of Python.
//!
//! A learning-rate lambda typed into the playground (say `0.95 ** epoch`) must
//! give the same numbers when pasted into
//! `LambdaLR(optimizer, lambda epoch: <text>)`, so the language is a subset of
//! Python's expression syntax and evaluation follows Python's float semantics.
//! Nothing else is reachable: no attributes beyond `math.<name>`, no indexing,
//! no strings, no assignment.
//!
//! # Grammar
//!
//! Tokens may be separated by any whitespace. `VAR` is the variable name given
//! to [`Expr::parse`] (usually `epoch`); it shadows the built-in names. Names are
//! ASCII: a non-ASCII letter is an unexpected character (Python would read `é`
//! as an unknown name).
//!
//! ```text
//! input       = [ "lambda" VAR ":" ] conditional
//! conditional = or_test [ "if" or_test "else" conditional ]
//! or_test     = and_test { "or" and_test }
//! and_test    = not_test { "and" not_test }
//! not_test    = "not" not_test | comparison
//! comparison  = sum { ( "<" | "<=" | ">" | ">=" | "==" | "!=" ) sum }
//! sum         = term { ( "+" | "-" ) term }
//! term        = factor { ( "*" | "/" | "//" | "%" ) factor }
//! factor      = ( "-" | "+" ) factor | power
//! power       = primary [ "**" factor ]
//! primary     = NUMBER | "True" | "False" | VAR | constant
//!             | function "(" [ conditional { "," conditional } [ "," ] ] ")"
//!             | "(" conditional ")"
//! constant    = [ "math" "." ] ( "pi" | "e" )
//! function    = [ "math" "." ] ( "cos" | "sin" | "exp" | "log" | "sqrt" | "floor" )
//!             | "min" | "max" | "abs"
//! NUMBER      = Python decimal literal: 3, 1_000, 0.5, .5, 5., 1e-3, 2.5E+4
//! ```
//!
//! `log` takes one or two arguments (`log(x, base)`), `min` and `max` two or
//! more, the other functions exactly one. As in Python, integers may not have
//! leading zeros (`007`) and underscores may only sit between digits.
//!
//! # Semantics
//!
//! Values are `f64` and behave like Python floats:
//!
//! - `/` is true division, `//` floor division and `%` takes the sign of the
//!   divisor (`-7 % 3 == 2`); dividing by zero is an error.
//! - `**` is right-associative and binds tighter than a unary minus on its left
//!   (`-2 ** 2 == -4`, `2 ** -1 == 0.5`). `0 ** -1` is an error, and so is a
//!   negative number to a fractional power (Python would give a complex number).
//! - Comparisons give `1.0` or `0.0` and chain (`0 < epoch < 10`); `not` gives
//!   `1.0` or `0.0`; `and` and `or` return one of their operands (`0 or 3` is 3).
//! - `a if c else b`, `and` and `or` evaluate only the operands they need, so
//!   `1 / epoch if epoch > 0 else 1` is fine at epoch 0.
//! - `sqrt` and `log` outside their domain are errors, and so is any result
//!   that is not finite (overflow), where Python would give `inf` or raise.
//!
//! # Limits
//!
//! Sources longer than 1000 characters are rejected, and so is nesting deeper
//! than 64 levels, where parentheses, unary operators, function calls and
//! every link of an operator chain count as a level. The parser therefore
//! never recurses deeply, and evaluation is a recursive walk over a
//! `Vec`-based tree of bounded depth that allocates nothing unless it fails.

use std::fmt;

/// The longest accepted source, in characters.
const MAX_LEN: usize = 1000;
/// The deepest accepted nesting, in levels.
const MAX_DEPTH: usize = 64;

/// A parsed expression in one variable (e.g. `epoch`), safe to evaluate.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    source: String,
    /// The tree in post-order: children always precede their parent.
    nodes: Vec<Node>,
    root: NodeId,
}

/// An error in the source text, located at a 1-based character column.
#[derive(Clone, Debug, PartialEq)]
pub struct ExprError {
    /// 1-based, in characters; the length of the source plus one at its end.
    pub column: usize,
    pub message: String,
}

/// An error while evaluating, like the exception Python would raise.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub message: String,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExprError {}
impl std::error::Error for EvalError {}

/// `src` without a leading `lambda <name>:` (which [`Expr::parse`] accepts and skips), so
/// code and formulas can put their own: `lambda epoch: 0.9 ** epoch` → `0.9 ** epoch`.
pub fn lambda_body(src: &str) -> &str {
    let t = src.trim_start();
    let Some(rest) = t.strip_prefix("lambda") else { return src };
    if !rest.starts_with(char::is_whitespace) {
        return src; // `lambdax`: a name, not the keyword
    }
    let rest = rest.trim_start();
    let name_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
    match rest[name_len..].trim_start().strip_prefix(':') {
        Some(body) if name_len > 0 => body.trim_start(),
        _ => src,
    }
}

impl Expr {
    /// Parses `src` where `var` is the only free variable name (e.g. "epoch" or "x").
    ///
    /// A leading `lambda <var>:` is accepted and skipped, so a whole Python
    /// lambda can be pasted.
    ///
    /// # Errors
    ///
    /// Returns the first syntax error, an unknown name, a call with the wrong
    /// number of arguments, a source longer than 1000 characters or nesting
    /// deeper than 64 levels, located at the offending character.
    pub fn parse(src: &str, var: &str) -> Result<Expr, ExprError> {
        let len = src.chars().count();
        if len > MAX_LEN {
            return Err(error(
                MAX_LEN + 1,
                format!("the expression is too long ({len} characters; the limit is {MAX_LEN})"),
            ));
        }
        let mut parser = Parser {
            tokens: Lexer::new(src).tokenize()?,
            pos: 0,
            var,
            nodes: Vec::new(),
            depths: Vec::new(),
            level: 0,
        };
        let root = parser.parse_input()?;
        Ok(Expr { source: src.to_owned(), nodes: parser.nodes, root })
    }

    /// Evaluates with the variable bound to `x`. It allocates only on error.
    ///
    /// # Errors
    ///
    /// Fails where Python would raise (division by zero, `0 ** -1`, a math
    /// domain error), where Python would give a complex number, on any
    /// non-finite result, and when `x` itself is not finite.
    pub fn eval(&self, x: f64) -> Result<f64, EvalError> {
        if !x.is_finite() {
            return Err(EvalError { message: format!("the variable must be a finite number, got {x}") });
        }
        Ok(self.value(self.root, x)?)
    }

    /// The source text it was parsed from.
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The value of node `id`. Every value is finite: the variable is checked
    /// in [`Expr::eval`], literals by the lexer and results here.
    fn value(&self, id: NodeId, x: f64) -> Result<f64, Fault> {
        match self.nodes[id] {
            Node::Number(value) => Ok(value),
            Node::Var => Ok(x),
            Node::Unary(op, operand) => finite(op.apply(self.value(operand, x)?)?),
            Node::Binary(op, lhs, rhs) => finite(op.apply(self.value(lhs, x)?, self.value(rhs, x)?)?),
            Node::Compare { .. } => Ok(truth(self.chain(id, x)?.is_some())),
            Node::And(lhs, rhs) => {
                let left = self.value(lhs, x)?;
                if left == 0.0 {
                    Ok(left)
                } else {
                    self.value(rhs, x)
                }
            }
            Node::Or(lhs, rhs) => {
                let left = self.value(lhs, x)?;
                if left == 0.0 {
                    self.value(rhs, x)
                } else {
                    Ok(left)
                }
            }
            Node::If { cond, then, otherwise } => {
                let branch = if self.value(cond, x)? != 0.0 { then } else { otherwise };
                self.value(branch, x)
            }
        }
    }

    /// Evaluates a comparison chain up to node `id`: `Some` of its rightmost
    /// operand if every comparison so far holds, `None` as soon as one fails
    /// (the rest is then not evaluated, as in Python). Any other node counts
    /// as a chain of one operand.
    fn chain(&self, id: NodeId, x: f64) -> Result<Option<f64>, Fault> {
        let Node::Compare { op, lhs, rhs, chained } = self.nodes[id] else {
            return self.value(id, x).map(Some);
        };
        let left = if chained {
            match self.chain(lhs, x)? {
                Some(left) => left,
                None => return Ok(None),
            }
        } else {
            self.value(lhs, x)?
        };
        let right = self.value(rhs, x)?;
        Ok(op.holds(left, right).then_some(right))
    }
}

/// An index into [`Expr::nodes`].
type NodeId = usize;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Node {
    Number(f64),
    Var,
    Unary(UnaryOp, NodeId),
    Binary(BinaryOp, NodeId, NodeId),
    /// `lhs op rhs`. When `chained`, `lhs` is the previous link of a chain
    /// such as `a < b < c`, and this link's left operand is that link's right
    /// operand.
    Compare {
        op: CmpOp,
        lhs: NodeId,
        rhs: NodeId,
        chained: bool,
    },
    And(NodeId, NodeId),
    Or(NodeId, NodeId),
    If {
        cond: NodeId,
        then: NodeId,
        otherwise: NodeId,
    },
}

impl Node {
    fn children(self) -> impl Iterator<Item = NodeId> {
        let ids = match self {
            Node::Number(_) | Node::Var => [None; 3],
            Node::Unary(_, a) => [Some(a), None, None],
            Node::Binary(_, a, b) | Node::And(a, b) | Node::Or(a, b) | Node::Compare { lhs: a, rhs: b, .. } => {
                [Some(a), Some(b), None]
            }
            Node::If { cond, then, otherwise } => [Some(cond), Some(then), Some(otherwise)],
        };
        ids.into_iter().flatten()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum UnaryOp {
    Neg,
    Not,
    Cos,
    Sin,
    Exp,
    Ln,
    Sqrt,
    Abs,
    Floor,
}

impl UnaryOp {
    fn apply(self, a: f64) -> Result<f64, Fault> {
        Ok(match self {
            UnaryOp::Neg => -a,
            UnaryOp::Not => truth(a == 0.0),
            UnaryOp::Cos => a.cos(),
            UnaryOp::Sin => a.sin(),
            UnaryOp::Exp => a.exp(),
            UnaryOp::Ln => ln(a)?,
            UnaryOp::Sqrt if a < 0.0 => return Err(Fault::SqrtOfNegative),
            UnaryOp::Sqrt => a.sqrt(),
            UnaryOp::Abs => a.abs(),
            UnaryOp::Floor => a.floor(),
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    /// `log(x, base)`.
    Log,
    Min,
    Max,
}

impl BinaryOp {
    fn apply(self, a: f64, b: f64) -> Result<f64, Fault> {
        Ok(match self {
            BinaryOp::Add => a + b,
            BinaryOp::Sub => a - b,
            BinaryOp::Mul => a * b,
            BinaryOp::Div => a / nonzero(b)?,
            BinaryOp::FloorDiv => py_divmod(a, nonzero(b)?).0,
            BinaryOp::Mod => py_divmod(a, nonzero(b)?).1,
            BinaryOp::Pow => py_pow(a, b)?,
            BinaryOp::Log => ln(a)? / nonzero(ln(b)?)?,
            // Python keeps the first of equal candidates.
            BinaryOp::Min if b < a => b,
            BinaryOp::Max if b > a => b,
            BinaryOp::Min | BinaryOp::Max => a,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    fn from_symbol(symbol: &str) -> Option<CmpOp> {
        Some(match symbol {
            "<" => CmpOp::Lt,
            "<=" => CmpOp::Le,
            ">" => CmpOp::Gt,
            ">=" => CmpOp::Ge,
            "==" => CmpOp::Eq,
            "!=" => CmpOp::Ne,
            _ => return None,
        })
    }

    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
        }
    }
}

/// Why an evaluation failed; turned into an [`EvalError`] only at the top, so
/// that the hot path never allocates.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    DivisionByZero,
    ZeroToNegativePower,
    ComplexPower,
    Overflow,
    SqrtOfNegative,
    LogOfNonPositive,
}

impl From<Fault> for EvalError {
    fn from(fault: Fault) -> Self {
        let message = match fault {
            Fault::DivisionByZero => "division by zero",
            Fault::ZeroToNegativePower => "division by zero: 0 cannot be raised to a negative power",
            Fault::ComplexPower => {
                "a negative number cannot be raised to a fractional power \
                 (Python would give a complex number)"
            }
            Fault::Overflow => "the value overflowed: it is too large for a float (about 1.8e308)",
            Fault::SqrtOfNegative => "math domain error: sqrt of a negative number",
            Fault::LogOfNonPositive => "math domain error: log of zero or a negative number",
        };
        EvalError { message: message.to_owned() }
    }
}

fn truth(condition: bool) -> f64 {
    if condition {
        1.0
    } else {
        0.0
    }
}

fn finite(value: f64) -> Result<f64, Fault> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Fault::Overflow)
    }
}

fn nonzero(divisor: f64) -> Result<f64, Fault> {
    if divisor == 0.0 {
        Err(Fault::DivisionByZero)
    } else {
        Ok(divisor)
    }
}

fn ln(a: f64) -> Result<f64, Fault> {
    if a > 0.0 {
        Ok(a.ln())
    } else {
        Err(Fault::LogOfNonPositive)
    }
}

/// Python's float `divmod` for a nonzero divisor: the floor of the quotient,
/// and a remainder with the sign of the divisor (CPython's `_float_div_mod`).
fn py_divmod(a: f64, b: f64) -> (f64, f64) {
    let mut rem = a % b;
    // `a - rem` is mathematically an exact multiple of `b`; the division may
    // still be a hair off an integer, hence the snapping below.
    let mut div = (a - rem) / b;
    if rem == 0.0 {
        rem = 0.0_f64.copysign(b);
    } else if (b < 0.0) != (rem < 0.0) {
        rem += b;
        div -= 1.0;
    }
    let quotient = if div == 0.0 {
        0.0_f64.copysign(a / b)
    } else {
        let floor = div.floor();
        if div - floor > 0.5 {
            floor + 1.0
        } else {
            floor
        }
    };
    (quotient, rem)
}

/// Python's float `**` for finite operands, apart from the overflow check.
fn py_pow(base: f64, exponent: f64) -> Result<f64, Fault> {
    if base == 0.0 && exponent < 0.0 {
        Err(Fault::ZeroToNegativePower)
    } else if base < 0.0 && exponent.fract() != 0.0 {
        Err(Fault::ComplexPower)
    } else {
        Ok(base.powf(exponent))
    }
}

fn error(column: usize, message: impl Into<String>) -> ExprError {
    ExprError { column, message: message.into() }
}

fn too_deep(column: usize) -> ExprError {
    error(
        column,
        format!(
            "the expression is nested too deeply (more than {MAX_DEPTH} levels of \
             parentheses, operators or function calls)"
        ),
    )
}

// ---------------------------------------------------------------------------
// Lexer

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Number(f64),
    Name,
    Symbol,
    End,
}

#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    kind: Kind,
    /// The source text; empty for [`Kind::End`].
    text: &'a str,
    column: usize,
}

impl Token<'_> {
    fn describe(&self) -> String {
        match self.kind {
            Kind::End => "the end of the input".to_owned(),
            _ => format!("`{}`", self.text),
        }
    }
}

/// Longer symbols first, so that `**` is not read as two `*`.
const SYMBOLS: [&str; 18] =
    ["**", "//", "<=", ">=", "==", "!=", "+", "-", "*", "/", "%", "<", ">", "(", ")", ",", ".", ":"];

/// Names are ASCII: every name the language knows is, and `char::is_alphanumeric` would
/// pull the Unicode tables into the wasm. A non-ASCII letter is an unexpected character.
fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

struct Lexer<'a> {
    src: &'a str,
    /// Byte offset and character, so that positions count characters.
    chars: Vec<(usize, char)>,
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Self {
        Lexer { src, chars: src.char_indices().collect(), pos: 0 }
    }

    fn char_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).map(|&(_, c)| c)
    }

    fn digit_at(&self, offset: usize) -> bool {
        self.char_at(offset).is_some_and(|c| c.is_ascii_digit())
    }

    /// The text between two character positions.
    fn text(&self, start: usize, end: usize) -> &'a str {
        let byte = |index: usize| self.chars.get(index).map_or(self.src.len(), |&(b, _)| b);
        &self.src[byte(start)..byte(end)]
    }

    fn skip_while(&mut self, pred: impl Fn(char) -> bool) {
        while self.char_at(0).is_some_and(&pred) {
            self.pos += 1;
        }
    }

    fn tokenize(mut self) -> Result<Vec<Token<'a>>, ExprError> {
        let mut tokens = Vec::new();
        loop {
            self.skip_while(char::is_whitespace);
            let start = self.pos;
            let Some(c) = self.char_at(0) else { break };
            let kind = if c.is_ascii_digit() || (c == '.' && self.digit_at(1)) {
                Kind::Number(self.number()?)
            } else if c == '_' || c.is_ascii_alphabetic() {
                self.skip_while(is_name_char);
                Kind::Name
            } else if let Some(symbol) =
                SYMBOLS.iter().find(|symbol| self.text(start, self.chars.len()).starts_with(*symbol))
            {
                self.pos += symbol.len();
                Kind::Symbol
            } else {
                return Err(unexpected_char(c, start + 1));
            };
            tokens.push(Token { kind, text: self.text(start, self.pos), column: start + 1 });
        }
        tokens.push(Token { kind: Kind::End, text: "", column: self.chars.len() + 1 });
        Ok(tokens)
    }

    /// Skips digits with single underscores between them (Python's `digitpart`).
    fn digits(&mut self) {
        if self.digit_at(0) {
            while self.digit_at(0) || (self.char_at(0) == Some('_') && self.digit_at(1)) {
                self.pos += 1;
            }
        }
    }

    /// Scans a decimal literal starting at a digit or at `.` before a digit.
    fn number(&mut self) -> Result<f64, ExprError> {
        let start = self.pos;
        let column = start + 1;
        self.digits();
        let mut is_float = false;
        if self.char_at(0) == Some('.') {
            self.pos += 1;
            self.digits();
            is_float = true;
        }
        if matches!(self.char_at(0), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.char_at(1), Some('+' | '-')));
            if self.digit_at(1 + sign) {
                self.pos += 1 + sign;
                self.digits();
                is_float = true;
            }
        }
        let end = self.pos;
        let text = self.text(start, end);
        if self.char_at(0).is_some_and(is_name_char) {
            self.skip_while(is_name_char);
            let word = self.text(start, self.pos);
            let rest = self.text(end, self.pos);
            let why = if rest.starts_with('_') {
                "underscores must sit between digits".to_owned()
            } else if rest.eq_ignore_ascii_case("e") {
                "an exponent needs digits, as in `1e-3`".to_owned()
            } else {
                format!("put an operator between a number and a name, as in `{text} * {rest}`")
            };
            return Err(error(column, format!("invalid number `{word}`: {why}")));
        }
        let digits: String = text.chars().filter(|&c| c != '_').collect();
        if !is_float && digits.starts_with('0') && digits.contains(|c| c != '0') {
            return Err(error(
                column,
                format!(
                    "invalid number `{text}`: Python does not allow leading zeros in integers; \
                     write `{}`",
                    digits.trim_start_matches('0')
                ),
            ));
        }
        // The scanned text is valid float syntax, so only overflow can fail.
        match crate::core::num::parse_f64(&digits) {
            Some(value) if value.is_finite() => Ok(value),
            _ => Err(error(column, format!("the number `{text}` is too large for a float"))),
        }
    }
}

fn unexpected_char(c: char, column: usize) -> ExprError {
    let hint = match c {
        '^' => "; for a power write `**` (in Python `^` is bitwise xor)",
        '=' => "; to compare, write `==`",
        '!' => "; for negation write `not`",
        '&' => "; for a logical and write `and`",
        '|' => "; for a logical or write `or`",
        _ if !c.is_ascii() => "; names, numbers and operators are ASCII, as in `0.95 ** epoch`",
        _ => "",
    };
    error(column, format!("unexpected character `{}`{hint}", c.escape_debug()))
}

// ---------------------------------------------------------------------------
// Parser

/// What a name stands for.
#[derive(Clone, Copy)]
enum Binding {
    Var,
    Const(f64),
    Func(Func),
}

#[derive(Clone, Copy)]
enum Func {
    /// Exactly one argument.
    Unary(UnaryOp),
    /// `log(x)` or `log(x, base)`.
    Log,
    /// Two or more arguments, folded from the left.
    Fold(BinaryOp),
}

impl Func {
    fn arity(self) -> &'static str {
        match self {
            Func::Unary(_) => "exactly 1 argument",
            Func::Log => "1 or 2 arguments",
            Func::Fold(_) => "at least 2 arguments",
        }
    }
}

struct Builtin {
    name: &'static str,
    binding: Binding,
    /// Whether Python's `math` module has it, so that `math.<name>` works.
    in_math: bool,
}

const fn builtin(name: &'static str, binding: Binding, in_math: bool) -> Builtin {
    Builtin { name, binding, in_math }
}

const BUILTINS: [Builtin; 11] = [
    builtin("pi", Binding::Const(std::f64::consts::PI), true),
    builtin("e", Binding::Const(std::f64::consts::E), true),
    builtin("cos", Binding::Func(Func::Unary(UnaryOp::Cos)), true),
    builtin("sin", Binding::Func(Func::Unary(UnaryOp::Sin)), true),
    builtin("exp", Binding::Func(Func::Unary(UnaryOp::Exp)), true),
    builtin("log", Binding::Func(Func::Log), true),
    builtin("sqrt", Binding::Func(Func::Unary(UnaryOp::Sqrt)), true),
    builtin("min", Binding::Func(Func::Fold(BinaryOp::Min)), false),
    builtin("max", Binding::Func(Func::Fold(BinaryOp::Max)), false),
    builtin("abs", Binding::Func(Func::Unary(UnaryOp::Abs)), false),
    builtin("floor", Binding::Func(Func::Unary(UnaryOp::Floor)), true),
];

/// Keywords that the grammar uses, so they are never taken for names.
const KEYWORDS: [&str; 6] = ["and", "else", "if", "lambda", "not", "or"];

/// A recursive-descent parser with one function per grammar rule.
struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    pos: usize,
    var: &'a str,
    nodes: Vec<Node>,
    /// The height of each node's subtree (0 for a leaf).
    depths: Vec<usize>,
    /// How many nesting levels enclose the current position.
    level: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Token<'a> {
        self.tokens[self.pos]
    }

    /// Consumes the current token; [`Kind::End`] is never consumed.
    fn advance(&mut self) -> Token<'a> {
        let token = self.peek();
        if token.kind != Kind::End {
            self.pos += 1;
        }
        token
    }

    fn at(&self, text: &str) -> bool {
        self.peek().text == text
    }

    fn eat(&mut self, text: &str) -> Option<Token<'a>> {
        if self.at(text) {
            Some(self.advance())
        } else {
            None
        }
    }

    fn expect(&mut self, text: &str, what: &str) -> Result<Token<'a>, ExprError> {
        self.eat(text).ok_or_else(|| expected(what, self.peek()))
    }

    /// Adds a node, rejecting it if it makes the tree too deep.
    fn push(&mut self, node: Node, column: usize) -> Result<NodeId, ExprError> {
        let depth = node.children().map(|child| self.depths[child] + 1).max().unwrap_or(0);
        if self.level + depth > MAX_DEPTH {
            return Err(too_deep(column));
        }
        self.nodes.push(node);
        self.depths.push(depth);
        Ok(self.nodes.len() - 1)
    }

    /// Runs `parse` one nesting level deeper; this bounds the recursion.
    fn nested<T>(
        &mut self,
        column: usize,
        parse: impl FnOnce(&mut Self) -> Result<T, ExprError>,
    ) -> Result<T, ExprError> {
        self.level += 1;
        let result = if self.level > MAX_DEPTH { Err(too_deep(column)) } else { parse(self) };
        self.level -= 1;
        result
    }

    fn parse_input(&mut self) -> Result<NodeId, ExprError> {
        if self.eat("lambda").is_some() {
            let param = self.advance();
            if param.kind != Kind::Name || param.text != self.var {
                let what = format!("the parameter `{}` after `lambda`", self.var);
                return Err(expected(&what, param));
            }
            self.expect(":", "`:` after the lambda's parameter")?;
        }
        let first = self.peek();
        if first.kind == Kind::End {
            let message = format!("the expression is empty; write e.g. `0.95 ** {}`", self.var);
            return Err(error(first.column, message));
        }
        let root = self.parse_conditional()?;
        let rest = self.peek();
        if rest.kind != Kind::End {
            let message = format!("unexpected {} after the end of the expression", rest.describe());
            return Err(error(rest.column, message));
        }
        Ok(root)
    }

    fn parse_conditional(&mut self) -> Result<NodeId, ExprError> {
        let then = self.parse_or()?;
        let Some(if_token) = self.eat("if") else {
            return Ok(then);
        };
        let cond = self.parse_or()?;
        self.expect("else", "`else` (a conditional reads `a if condition else b`)")?;
        let otherwise = self.nested(if_token.column, Self::parse_conditional)?;
        let node = Node::If { cond, then, otherwise };
        self.push(node, if_token.column)
    }

    fn parse_or(&mut self) -> Result<NodeId, ExprError> {
        let mut lhs = self.parse_and()?;
        while let Some(op) = self.eat("or") {
            let rhs = self.parse_and()?;
            lhs = self.push(Node::Or(lhs, rhs), op.column)?;
        }
        Ok(lhs)
    }

    fn parse_and(&mut self) -> Result<NodeId, ExprError> {
        let mut lhs = self.parse_not()?;
        while let Some(op) = self.eat("and") {
            let rhs = self.parse_not()?;
            lhs = self.push(Node::And(lhs, rhs), op.column)?;
        }
        Ok(lhs)
    }

    fn parse_not(&mut self) -> Result<NodeId, ExprError> {
        match self.eat("not") {
            Some(op) => {
                let operand = self.nested(op.column, Self::parse_not)?;
                self.push(Node::Unary(UnaryOp::Not, operand), op.column)
            }
            None => self.parse_comparison(),
        }
    }

    fn parse_comparison(&mut self) -> Result<NodeId, ExprError> {
        let mut lhs = self.parse_sum()?;
        let mut chained = false;
        while let Some(op) = CmpOp::from_symbol(self.peek().text) {
            let column = self.advance().column;
            let rhs = self.parse_sum()?;
            let node = Node::Compare { op, lhs, rhs, chained };
            lhs = self.push(node, column)?;
            chained = true;
        }
        Ok(lhs)
    }

    fn parse_sum(&mut self) -> Result<NodeId, ExprError> {
        const OPS: [(&str, BinaryOp); 2] = [("+", BinaryOp::Add), ("-", BinaryOp::Sub)];
        self.parse_arith(Self::parse_term, &OPS)
    }

    fn parse_term(&mut self) -> Result<NodeId, ExprError> {
        const OPS: [(&str, BinaryOp); 4] =
            [("*", BinaryOp::Mul), ("/", BinaryOp::Div), ("//", BinaryOp::FloorDiv), ("%", BinaryOp::Mod)];
        self.parse_arith(Self::parse_factor, &OPS)
    }

    /// A left-associative chain of `operand`s joined by the operators `ops`.
    fn parse_arith(
        &mut self,
        operand: fn(&mut Self) -> Result<NodeId, ExprError>,
        ops: &[(&str, BinaryOp)],
    ) -> Result<NodeId, ExprError> {
        let mut lhs = operand(self)?;
        while let Some(&(_, op)) = ops.iter().find(|(symbol, _)| self.at(symbol)) {
            let column = self.advance().column;
            let rhs = operand(self)?;
            lhs = self.push(Node::Binary(op, lhs, rhs), column)?;
        }
        Ok(lhs)
    }

    fn parse_factor(&mut self) -> Result<NodeId, ExprError> {
        let sign = self.peek();
        if sign.text != "-" && sign.text != "+" {
            return self.parse_power();
        }
        self.advance();
        let operand = self.nested(sign.column, Self::parse_factor)?;
        if sign.text == "-" {
            self.push(Node::Unary(UnaryOp::Neg, operand), sign.column)
        } else {
            Ok(operand)
        }
    }

    fn parse_power(&mut self) -> Result<NodeId, ExprError> {
        let base = self.parse_primary()?;
        if self.at("(") {
            return Err(error(self.peek().column, "only functions can be called; to multiply, write `*` before `(`"));
        }
        match self.eat("**") {
            Some(op) => {
                let exponent = self.nested(op.column, Self::parse_factor)?;
                self.push(Node::Binary(BinaryOp::Pow, base, exponent), op.column)
            }
            None => Ok(base),
        }
    }

    fn parse_primary(&mut self) -> Result<NodeId, ExprError> {
        let token = self.advance();
        match token.kind {
            Kind::Number(value) => self.push(Node::Number(value), token.column),
            Kind::Name if !KEYWORDS.contains(&token.text) => self.parse_name(token),
            Kind::Symbol if token.text == "(" => {
                let inner = self.nested(token.column, Self::parse_conditional)?;
                self.expect_close(token, "`)`")?;
                Ok(inner)
            }
            _ => Err(expected("a number, a name or `(`", token)),
        }
    }

    /// Expects the `)` matching `open`; `what` says what else could come.
    fn expect_close(&mut self, open: Token<'a>, what: &str) -> Result<(), ExprError> {
        let what = format!("{what} to close the `(` at column {}", open.column);
        self.expect(")", &what).map(drop)
    }

    fn parse_name(&mut self, token: Token<'a>) -> Result<NodeId, ExprError> {
        let (name, binding) = self.resolve(token)?;
        match binding {
            Binding::Var => self.push(Node::Var, token.column),
            Binding::Const(value) => self.push(Node::Number(value), token.column),
            Binding::Func(func) => self.parse_call(func, &name, token.column),
        }
    }

    /// Looks up the name starting at `token`, reading `math.<name>` whole.
    /// Returns the name as written, for messages.
    fn resolve(&mut self, token: Token<'a>) -> Result<(String, Binding), ExprError> {
        let var = self.var;
        let unknown = |name: &str| {
            let allowed: Vec<&str> = BUILTINS.iter().map(|builtin| builtin.name).collect();
            let message = format!("unknown name `{name}`; allowed: {var}, {}", allowed.join(", "));
            error(token.column, message)
        };
        let lookup = |name: &str| BUILTINS.iter().find(|builtin| builtin.name == name);
        match token.text {
            name if name == var => Ok((name.to_owned(), Binding::Var)),
            "True" => Ok(("True".to_owned(), Binding::Const(1.0))),
            "False" => Ok(("False".to_owned(), Binding::Const(0.0))),
            "math" => {
                self.expect(".", "`.` after `math`, as in `math.cos`")?;
                let attr = self.advance();
                if attr.kind != Kind::Name {
                    return Err(expected("a name after `math.`", attr));
                }
                let name = format!("math.{}", attr.text);
                match lookup(attr.text) {
                    Some(builtin) if builtin.in_math => Ok((name, builtin.binding)),
                    Some(_) => {
                        Err(error(token.column, format!("`{name}` does not exist in Python; write `{}`", attr.text)))
                    }
                    None => Err(unknown(&name)),
                }
            }
            name => match lookup(name) {
                Some(builtin) => Ok((name.to_owned(), builtin.binding)),
                None => Err(unknown(name)),
            },
        }
    }

    fn parse_call(&mut self, func: Func, name: &str, column: usize) -> Result<NodeId, ExprError> {
        let Some(open) = self.eat("(") else {
            let message = format!("`{name}` is a function; call it, as in `{name}({})`", self.var);
            return Err(error(column, message));
        };
        let args = self.nested(open.column, |parser| parser.parse_args(open))?;
        match (func, &args[..]) {
            (Func::Unary(op), &[a]) => self.push(Node::Unary(op, a), column),
            (Func::Log, &[a]) => self.push(Node::Unary(UnaryOp::Ln, a), column),
            (Func::Log, &[a, base]) => self.push(Node::Binary(BinaryOp::Log, a, base), column),
            (Func::Fold(op), &[first, ref rest @ ..]) if !rest.is_empty() => {
                rest.iter().try_fold(first, |acc, &arg| self.push(Node::Binary(op, acc, arg), column))
            }
            _ => Err(error(column, format!("`{name}` takes {}, got {}", func.arity(), args.len()))),
        }
    }

    /// Parses call arguments after `open`, through the closing `)`.
    fn parse_args(&mut self, open: Token<'a>) -> Result<Vec<NodeId>, ExprError> {
        let mut args = Vec::new();
        while self.eat(")").is_none() {
            args.push(self.parse_conditional()?);
            if self.eat(",").is_none() {
                self.expect_close(open, "`,` or `)`")?;
                break;
            }
        }
        Ok(args)
    }
}

fn expected(what: &str, found: Token<'_>) -> ExprError {
    error(found.column, format!("expected {what}, found {}", found.describe()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eval(src: &str, x: f64) -> Result<f64, EvalError> {
        Expr::parse(src, "epoch").unwrap_or_else(|err| panic!("{src:?} should parse: {err}")).eval(x)
    }

    /// Expected values printed by CPython 3.11 for `(lambda epoch: <src>)(epoch)`,
    /// with `math` and `from math import cos, sin, exp, log, sqrt, floor, pi, e`.
    #[test]
    fn values_match_python() {
        let cases: &[(&str, f64, f64)] = &[
            ("0.95 ** epoch", 3.0, 0.8573749999999999),
            ("0.95 ** epoch", 0.0, 1.0),
            ("1 / (1 + 0.1 * epoch)", 7.0, 0.588235294117647),
            ("0.1 ** (epoch // 30)", 65.0, 0.010000000000000002),
            ("epoch / 5 if epoch < 5 else 0.5 * (1 + cos(pi * (epoch - 5) / 45))", 3.0, 0.6),
            ("epoch / 5 if epoch < 5 else 0.5 * (1 + cos(pi * (epoch - 5) / 45))", 20.0, 0.75),
            ("-2 ** 2", 0.0, -4.0),
            ("2 ** -1", 0.0, 0.5),
            ("-2 ** -2", 0.0, -0.25),
            ("2 ** 3 ** 2", 0.0, 512.0),
            ("(-2) ** 3", 0.0, -8.0),
            ("(-8) ** 2.0", 0.0, 64.0),
            ("0 ** 0", 0.0, 1.0),
            ("-0.3 ** 0.5", 0.0, -0.5477225575051661),
            ("-7 % 3", 0.0, 2.0),
            ("7 % -3", 0.0, -2.0),
            ("-7.5 % 2", 0.0, 0.5),
            ("7.5 % -2", 0.0, -0.5),
            ("5.25 % 1", 0.0, 0.25),
            ("-1e-20 % 1", 0.0, 1.0),
            ("-7.5 // 2", 0.0, -4.0),
            ("-7 // 2", 0.0, -4.0),
            ("7 // -2", 0.0, -4.0),
            ("7.5 // 0.1", 0.0, 74.0),
            ("1 // 0.1", 0.0, 9.0),
            ("epoch // 3", 7.0, 2.0),
            ("min(1, epoch / 10)", 4.0, 0.4),
            ("min(1, epoch / 10)", 40.0, 1.0),
            ("max(0.1, 1 - epoch / 100)", 30.0, 0.7),
            ("max(0.1, 1 - epoch / 100)", 95.0, 0.1),
            ("min(3, 1, 2)", 0.0, 1.0),
            ("max(3, 1, 7, 2,)", 0.0, 7.0),
            ("0 < epoch < 10", 5.0, 1.0),
            ("0 < epoch < 10", 0.0, 0.0),
            ("0 < epoch < 10", 10.0, 0.0),
            ("1 < 2 > 0 != 3 == 3 <= 3 >= 3", 0.0, 1.0),
            ("(1 < 2) < 2", 0.0, 1.0),
            ("(3 > 2) + (2 > 3)", 0.0, 1.0),
            ("0 or 3", 0.0, 3.0),
            ("2 or 3", 0.0, 2.0),
            ("0 and 3", 0.0, 0.0),
            ("2 and 3", 0.0, 3.0),
            ("not epoch", 0.0, 1.0),
            ("not epoch", 4.0, 0.0),
            ("not 1 == 2", 0.0, 1.0),
            ("epoch > 2 and epoch < 5 or 7", 6.0, 7.0),
            ("math.exp(-0.1 * epoch)", 5.0, 0.6065306597126334),
            ("lambda epoch: 0.9 ** epoch", 12.0, 0.2824295364810001),
            ("1_000 * 1e-3", 0.0, 1.0),
            ("1_0.2_5e1_0", 0.0, 102500000000.0),
            (".5 + 5. + 1.e2 + 2E-3", 0.0, 105.502),
            ("True + True * 2 - False", 0.0, 3.0),
            ("1 / epoch if epoch > 0 else 1", 0.0, 1.0),
            ("1 / epoch if epoch > 0 else 1", 4.0, 0.25),
            ("epoch if epoch < 2 else 2 if epoch < 5 else 5", 3.0, 2.0),
            ("math.log(epoch)", 7.0, 1.9459101490553132),
            ("log(8, 2)", 0.0, 3.0),
            ("math.log(100, 10)", 0.0, 2.0),
            ("sqrt(epoch)", 3.0, 1.7320508075688772),
            ("math.sqrt(2) * math.pi", 0.0, 4.442882938158366),
            ("abs(-epoch) + floor(-2.5) + math.floor(2.5)", 3.0, 2.0),
            ("sin(epoch) ** 2 + cos(epoch) ** 2", 3.0, 0.9999999999999999),
            ("e ** 2 - math.e", 0.0, 4.670774270471604),
            ("exp(-1000)", 0.0, 0.0),
            ("0.5 ** 2000", 0.0, 0.0),
            ("1e308 * 1.5 / 2", 0.0, 7.5e+307),
            ("-epoch", 0.0, 0.0),
            ("+-+epoch", 2.0, -2.0),
            ("0.5 * (1 + math.cos(math.pi * epoch / 100))", 37.0, 0.6985739453173903),
            ("(1 - epoch / 100) ** 0.9", 42.0, 0.6124705263919324),
            ("1 < 0 < 1 / 0", 0.0, 0.0),
            ("0 and 1 / 0", 0.0, 0.0),
            ("1 or 1 / 0", 0.0, 1.0),
            ("not not 3", 0.0, 1.0),
            ("- - 3", 0.0, 3.0),
            ("2 * -epoch ** 2", 3.0, -18.0),
            ("0.1 * 1.0 * 3", 0.0, 0.30000000000000004),
            ("1 - 0.9", 0.0, 0.09999999999999998),
            ("10 / 3 * 3", 0.0, 10.0),
            ("100 % 7 * 3 // 2", 0.0, 3.0),
        ];
        for &(src, x, want) in cases {
            let got = eval(src, x).unwrap_or_else(|err| panic!("{src:?} at {x}: {err}"));
            assert!((got - want).abs() <= 1e-15 * want.abs(), "{src:?} at {x}: got {got:?}, Python gives {want:?}");
        }
    }

    #[test]
    fn variable_name_is_configurable_and_shadows_builtins() {
        assert_eq!(Expr::parse("2 * x", "x").unwrap().eval(3.0), Ok(6.0));
        assert_eq!(Expr::parse("lambda e: e + 1", "e").unwrap().eval(1.0), Ok(2.0));
        assert_eq!(lambda_body("lambda epoch: min(1, (epoch + 1) / 5)"), "min(1, (epoch + 1) / 5)");
        assert_eq!(lambda_body("  lambda x :0.5 ** x"), "0.5 ** x");
        assert_eq!(lambda_body("0.95 ** epoch"), "0.95 ** epoch");
        assert_eq!(lambda_body("lambdax + 1"), "lambdax + 1");
        assert_eq!(lambda_body("lambda epoch"), "lambda epoch");
        let err = Expr::parse("epoch", "x").unwrap_err();
        assert!(err.message.starts_with("unknown name `epoch`; allowed: x, pi,"));
    }

    #[test]
    fn source_is_kept() {
        let src = "lambda epoch:  0.9 ** epoch";
        let expr = Expr::parse(src, "epoch").unwrap();
        assert_eq!(expr.source(), src);
        assert_eq!(expr, Expr::parse(src, "epoch").unwrap());
    }

    #[test]
    fn parse_errors() {
        const ALLOWED: &str = "allowed: epoch, pi, e, cos, sin, exp, log, sqrt, min, max, abs, floor";
        let deep = format!("{}1{}", "(".repeat(65), ")".repeat(65));
        let long = "1".repeat(1001);
        let cases: &[(&str, usize, &str)] = &[
            ("", 1, "the expression is empty; write e.g. `0.95 ** epoch`"),
            ("   ", 4, "the expression is empty; write e.g. `0.95 ** epoch`"),
            ("lambda epoch:", 14, "the expression is empty; write e.g. `0.95 ** epoch`"),
            ("epoch * * 2", 9, "expected a number, a name or `(`, found `*`"),
            ("1 + if", 5, "expected a number, a name or `(`, found `if`"),
            ("1 +", 4, "expected a number, a name or `(`, found the end of the input"),
            ("foo + 1", 1, &format!("unknown name `foo`; {ALLOWED}")),
            ("math.foo(1)", 1, &format!("unknown name `math.foo`; {ALLOWED}")),
            ("math.abs(1)", 1, "`math.abs` does not exist in Python; write `abs`"),
            ("math", 5, "expected `.` after `math`, as in `math.cos`, found the end of the input"),
            ("math.(1)", 6, "expected a name after `math.`, found `(`"),
            ("(epoch + 1", 11, "expected `)` to close the `(` at column 1, found the end of the input"),
            ("((1) 2)", 6, "expected `)` to close the `(` at column 1, found `2`"),
            ("epoch + 1)", 10, "unexpected `)` after the end of the expression"),
            ("epoch 2", 7, "unexpected `2` after the end of the expression"),
            ("min(1, 2", 9, "expected `,` or `)` to close the `(` at column 4, found the end of the input"),
            ("min(1,, 2)", 7, "expected a number, a name or `(`, found `,`"),
            ("cos(1, 2)", 1, "`cos` takes exactly 1 argument, got 2"),
            ("1 + math.log()", 5, "`math.log` takes 1 or 2 arguments, got 0"),
            ("max(epoch)", 1, "`max` takes at least 2 arguments, got 1"),
            ("cos + 1", 1, "`cos` is a function; call it, as in `cos(epoch)`"),
            ("epoch(2)", 6, "only functions can be called; to multiply, write `*` before `(`"),
            ("2 (3)", 3, "only functions can be called; to multiply, write `*` before `(`"),
            ("2 ^ epoch", 3, "unexpected character `^`; for a power write `**` (in Python `^` is bitwise xor)"),
            ("epoch = 3", 7, "unexpected character `=`; to compare, write `==`"),
            ("1 + é", 5, "unexpected character `é`; names, numbers and operators are ASCII, as in `0.95 ** epoch`"),
            ("epoché", 6, "unexpected character `é`; names, numbers and operators are ASCII, as in `0.95 ** epoch`"),
            ("2λ", 2, "unexpected character `λ`; names, numbers and operators are ASCII, as in `0.95 ** epoch`"),
            ("2 × epoch", 3, "unexpected character `×`; names, numbers and operators are ASCII, as in `0.95 ** epoch`"),
            ("\u{a0}\u{a0}\u{a0} + $", 7, "unexpected character `$`"),
            ("1\0", 2, "unexpected character `\\0`"),
            (
                "1 if epoch",
                11,
                "expected `else` (a conditional reads `a if condition else b`), found the end of the input",
            ),
            ("lambda x: x", 8, "expected the parameter `epoch` after `lambda`, found `x`"),
            ("lambda epoch 1", 14, "expected `:` after the lambda's parameter, found `1`"),
            ("2epoch", 1, "invalid number `2epoch`: put an operator between a number and a name, as in `2 * epoch`"),
            ("1 + 1e", 5, "invalid number `1e`: an exponent needs digits, as in `1e-3`"),
            ("1__000", 1, "invalid number `1__000`: underscores must sit between digits"),
            ("007", 1, "invalid number `007`: Python does not allow leading zeros in integers; write `7`"),
            ("1e999", 1, "the number `1e999` is too large for a float"),
            (
                &deep,
                65,
                "the expression is nested too deeply (more than 64 levels of parentheses, operators or function calls)",
            ),
            (&long, 1001, "the expression is too long (1001 characters; the limit is 1000)"),
        ];
        for &(src, column, message) in cases {
            let err = Expr::parse(src, "epoch").expect_err(src);
            assert_eq!((err.column, err.message.as_str()), (column, message), "{src:?}");
        }
    }

    #[test]
    fn eval_errors() {
        const OVERFLOW: &str = "the value overflowed: it is too large for a float (about 1.8e308)";
        let cases: &[(&str, f64, &str)] = &[
            ("1 / epoch", 0.0, "division by zero"),
            ("epoch // 0", 3.0, "division by zero"),
            ("epoch % 0.0", 3.0, "division by zero"),
            ("0 ** -1", 0.0, "division by zero: 0 cannot be raised to a negative power"),
            (
                "(-8) ** (1 / 3)",
                0.0,
                "a negative number cannot be raised to a fractional power (Python would give a complex number)",
            ),
            ("10.0 ** 400", 0.0, OVERFLOW),
            ("exp(epoch)", 1000.0, OVERFLOW),
            ("1e308 * 10", 0.0, OVERFLOW),
            ("1e308 / 0.1", 0.0, OVERFLOW),
            ("sqrt(-epoch)", 1.0, "math domain error: sqrt of a negative number"),
            ("log(epoch)", 0.0, "math domain error: log of zero or a negative number"),
            ("log(2, -1)", 0.0, "math domain error: log of zero or a negative number"),
            ("log(2, 1)", 0.0, "division by zero"),
            ("1 if 1 / epoch else 2", 0.0, "division by zero"),
            ("0 < 1 < 1 / 0", 0.0, "division by zero"),
        ];
        for &(src, x, message) in cases {
            let err = eval(src, x).expect_err(src);
            assert_eq!(err.message, message, "{src:?} at {x}");
        }
        let err = eval("1", f64::NAN).unwrap_err();
        assert_eq!(err.message, "the variable must be a finite number, got NaN");
    }

    #[test]
    fn errors_display() {
        let err = Expr::parse("epoch ** * 2", "epoch").unwrap_err();
        assert_eq!(err.to_string(), "column 10: expected a number, a name or `(`, found `*`");
        assert_eq!(eval("1 // epoch", 0.0).unwrap_err().to_string(), "division by zero");
    }

    #[test]
    fn huge_inputs_are_rejected_without_recursing() {
        // The 65th level is where the limit is hit.
        for (unit, column) in [("(", 65), ("-", 65), ("not ", 257), ("2 ** ", 323), ("cos(", 260)] {
            let err = Expr::parse(&unit.repeat(100_000), "epoch").unwrap_err();
            assert_eq!(err.column, 1001);
            let err = Expr::parse(&unit.repeat(990 / unit.len()), "epoch").unwrap_err();
            assert_eq!(err.column, column, "{unit:?}");
            assert!(err.message.starts_with("the expression is nested too deeply"));
        }
    }

    /// `n` nesting levels of one kind around `epoch`.
    fn nested_source(kind: usize, n: usize) -> String {
        let (open, close) = [
            ("(", ")"),
            ("-", ""),
            ("not ", ""),
            ("2**", ""),
            ("cos(", ")"),
            ("1 if 1 else ", ""),
            ("1+", ""),
            ("0<", ""),
            ("min(1,", ")"),
            ("2 or ", ""),
        ][kind];
        format!("{}epoch{}", open.repeat(n), close.repeat(n))
    }

    #[test]
    fn deepest_inputs_fit_in_a_wasm_sized_stack() {
        // 1 MiB is the default stack of a wasm32 module; an unoptimized build
        // needs about half of it for 64 levels, an optimized one about 0.1 MiB.
        let worker = std::thread::Builder::new().stack_size(1 << 20).spawn(|| {
            for kind in 0..10 {
                let expr = Expr::parse(&nested_source(kind, 64), "epoch").unwrap();
                let _ = expr.eval(1.0);
            }
        });
        worker.unwrap().join().unwrap();
    }

    proptest! {
        #[test]
        fn never_panics_on_any_string(src in ".*", x in -1e3..1e3f64) {
            if let Ok(expr) = Expr::parse(&src, "epoch") {
                let _ = expr.eval(x);
            }
        }

        #[test]
        fn never_panics_on_expression_like_strings(
            src in "[0-9a-z()+*/%<>=!._, -]{0,80}",
            x in prop_oneof![Just(0.0), Just(-1.0), 0.0..1e6f64],
        ) {
            if let Ok(expr) = Expr::parse(&src, "epoch") {
                let _ = expr.eval(x);
            }
        }

        #[test]
        fn never_panics_on_token_soup(
            tokens in prop::collection::vec(
                prop::sample::select(vec![
                    "epoch", "1", "0", "2.5", "1e300", "-", "+", "*", "/", "//", "%", "**", "(", ")",
                    "<", "==", "not", "and", "or", "if", "else", "min(", "log(", "sqrt(", "exp(", ",",
                    "math.", "cos", "lambda", ":",
                ]),
                0..60,
            ),
            x in 0.0..1e4f64,
        ) {
            if let Ok(expr) = Expr::parse(&tokens.join(" "), "epoch") {
                let _ = expr.eval(x);
            }
        }

        #[test]
        fn nesting_is_limited_to_64_levels(kind in 0..10usize, n in 0..=80usize) {
            let src = nested_source(kind, n);
            match Expr::parse(&src, "epoch") {
                Ok(expr) => {
                    prop_assert!(n <= 64, "{src:?} was accepted");
                    let _ = expr.eval(1.0);
                }
                Err(err) => {
                    prop_assert!(n > 64, "{src:?}: {err}");
                    prop_assert!(err.message.starts_with("the expression is nested too deeply"));
                }
            }
        }

        #[test]
        fn lambda_prefix_and_spacing_do_not_change_the_value(
            a in 0.0..10f64, b in 1u32..5, x in 0u32..100,
        ) {
            let plain = format!("{a} * 0.9 ** (epoch // {b}) if epoch < 50 else {a} / (1 + epoch)");
            let pasted = format!("lambda epoch :{}", plain.replace(' ', "\t "));
            let x = f64::from(x);
            prop_assert_eq!(eval(&plain, x), eval(&pasted, x));
        }
    }
}
