/**
 * Markdown plugin (Sätteri mdast visitor): drop source line breaks next to Japanese text.
 * Markdown turns a soft line break into a space, which is right between English words but shows
 * as a stray gap in Japanese ("あります。 たとえば"). Line breaks between two Latin words are kept.
 */
const CJK = '\\u3000-\\u30ff\\u3400-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
const BREAK_NEXT_TO_CJK = new RegExp(`(?<=[${CJK}])[ \\t]*\\n[ \\t]*|[ \\t]*\\n[ \\t]*(?=[${CJK}])`, 'g');

export function joinCjkLines(text) {
  return text.replace(BREAK_NEXT_TO_CJK, '');
}

export const cjkLinebreak = {
  name: 'cjk-linebreak',
  text(node, ctx) {
    const value = joinCjkLines(node.value);
    if (value !== node.value) ctx.replaceNode(node, { type: 'text', value });
  },
};
