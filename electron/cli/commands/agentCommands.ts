import type { Command } from 'commander';
import { handOffReasonLabels, type AgentDecision } from '../../../shared/schemas/agent.js';
import { disposeEmbedders } from '../../knowledge/index.js';
import { printResult, withTenant, type GlobalOptions } from '../cliContext.js';

/** The decision as a person reads it in a terminal: outcome, reply, then what it was based on. */
export function describeDecision(decision: AgentDecision): string {
  const lines: string[] = [];
  const confidence = `confidence ${Math.round(decision.confidence * 100)}% (threshold ${Math.round(decision.threshold * 100)}%)`;
  if (decision.outcome === 'answer') lines.push(`Decision: answer (${decision.answeredBy ?? 'agent'}, ${confidence})`);
  else lines.push(`Decision: hand off — ${decision.handOffReason} (${handOffReasonLabels[decision.handOffReason!]}; ${confidence})`);
  lines.push('', 'Reply:', indent(decision.reply), '');
  lines.push(`Note for staff: ${decision.staffNote}`);
  if (decision.model) lines.push(`Model: ${decision.model}`);
  if (decision.figureCheck && decision.figureCheck.action !== 'accepted') {
    lines.push(`Catalog check: ${decision.figureCheck.action} (unsupported: ${decision.figureCheck.unsupportedFigures.join(', ')})`);
  }
  if (decision.passages.length > 0) {
    lines.push('', 'Passages:');
    for (const passage of decision.passages) {
      const where = passage.location.row !== undefined ? `row ${passage.location.row}` : passage.location.headingPath?.join(' › ') ?? (passage.location.page !== undefined ? `page ${passage.location.page}` : '');
      const excerpt = passage.text.replace(/\s+/g, ' ').slice(0, 100);
      lines.push(`  [${passage.number}]${passage.cited ? '*' : ' '} ${passage.sourceName}${where ? ` (${where})` : ''} relevance ${passage.relevance.toFixed(2)}: ${excerpt}`);
    }
  }
  if (decision.products.length > 0) {
    lines.push('', 'Products:');
    for (const product of decision.products) {
      const price = product.price !== null ? `${product.price.toFixed(2)}${product.currency ? ` ${product.currency}` : ''}` : 'no price';
      lines.push(`  ${product.name ?? product.sku ?? `row ${product.row}`}${product.sku ? ` [${product.sku}]` : ''}: ${price}, stock ${product.stock ?? 'unknown'}${product.url ? `, ${product.url}` : ''}`);
    }
  }
  lines.push('', `Decided in ${decision.durationMilliseconds} ms.`);
  return lines.join('\n');
}

const indent = (text: string) => text.split('\n').map((line) => `  ${line}`).join('\n');

export function registerAgentCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('ask')
    .description('ask the agent a question as a customer would, and show its decision, reply and what it used')
    .requiredOption('--tenant <name>', 'tenant name (passphrase from ARES_PASSPHRASE or standard input)')
    .argument('<question...>', 'the customer question')
    .action(async (words: string[], options: { tenant: string }) => {
      const question = words.join(' ');
      // The embedding worker lives for the whole process; a CLI run ends here, so it is stopped.
      const decision = await withTenant(globals(), options.tenant, (caller) => caller.agent.ask({ question })).finally(() => disposeEmbedders());
      printResult(globals(), decision, describeDecision(decision));
    });
}
