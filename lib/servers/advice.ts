/** Why `'messages'` is refused: no open server reads `functions`, and no trainer writes them. */
export function onlyOpenAI(server: string): string {
  return `${server} does not read \`functions\`/\`function_call\`, which format 'messages' needs (only OpenAI serves them). Train and serve with format 'json' (\`fn-distil dataset convert --to json\` converts a 'messages' dataset), or 'tools' where the server supports tool calls.`;
}
