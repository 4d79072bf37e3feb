import { useEffect, useState } from 'react';

/**
 * WhatsApp lets a business reply freely only within 24 hours of the customer's last message; when
 * it is closed the composer offers the approved templates instead (TemplatePicker).
 */
export function WhatsappWindow({ closesAt }: { closesAt: number | null }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  if (closesAt === null) return null;
  const left = closesAt - now;
  if (left <= 0) {
    return (
      <p className="error" role="status">
        The WhatsApp 24-hour window is closed: a free reply is not delivered until the customer writes again. Send an approved template instead.
      </p>
    );
  }
  const hours = Math.floor(left / 3_600_000);
  const minutes = Math.floor((left % 3_600_000) / 60_000);
  return (
    <p className="hint" role="status" aria-label="WhatsApp window">
      WhatsApp window closes in {hours} h {minutes} min
    </p>
  );
}
