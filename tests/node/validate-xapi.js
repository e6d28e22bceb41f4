// Validate xAPI statements read as a JSON array from stdin with Learning Locker's
// validator; print {"index": [warnings...]} for failures and exit 1 if any fail.
const validate = require("@learninglocker/xapi-validation").default;
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const statements = JSON.parse(input);
  const failures = {};
  statements.forEach((statement, index) => {
    const warnings = validate(statement);
    if (warnings.length) failures[index] = warnings.map((w) => `${w.path.join(".")}: ${w.constructor.name} ${JSON.stringify(w.data)}`.slice(0, 300));
  });
  process.stdout.write(JSON.stringify({ checked: statements.length, failures }) + "\n");
  process.exit(Object.keys(failures).length ? 1 : 0);
});
