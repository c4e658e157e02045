export function ProgressBar({ value, label }: { value: number; label: string }) {
  return (
    <span className="progress-wrap">
      <progress className="progress" max={100} value={value} aria-label={label} />
      <span className="progress-value" aria-hidden="true">
        {value}%
      </span>
    </span>
  );
}
