/** `--name value` options of a script's command line: `option("--out")` is the word after `--out`, if any. */
export function optionReader(argv: readonly string[]): (name: string) => string | undefined {
  return (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
}
