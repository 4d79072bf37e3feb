import { measurePassphrase } from '../../../shared/passphraseStrength';

const labels = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'];

/** The same zxcvbn check the core applies, so "Strong" here means the core accepts it. */
export function PassphraseMeter({ passphrase, userInputs }: { passphrase: string; userInputs: string[] }) {
  if (!passphrase) return <p className="hint">Use several unrelated words; the passphrase cannot be recovered if lost.</p>;
  const strength = measurePassphrase(passphrase, userInputs);
  return (
    <div className="meter" aria-live="polite">
      <div className="meter-bar" data-score={strength.score} role="meter" aria-valuemin={0} aria-valuemax={4} aria-valuenow={strength.score} aria-label="Passphrase strength">
        {[0, 1, 2, 3].map((segment) => (
          <span key={segment} className={segment < strength.score ? 'filled' : ''} />
        ))}
      </div>
      <span className="meter-label">{labels[strength.score]}</span>
      {!strength.acceptable && strength.feedback && <p className="hint">{strength.feedback}</p>}
    </div>
  );
}
