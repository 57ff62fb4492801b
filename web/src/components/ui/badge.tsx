import { cva, type VariantProps } from 'class-variance-authority';
import type { HTMLAttributes } from 'react';
import { cn } from '../../lib/cn';

const badgeVariants = cva('inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-semibold', {
  variants: {
    variant: {
      default: 'bg-surface-2 text-foreground',
      live: 'bg-live-strong text-white uppercase tracking-wide',
      outline: 'border border-border text-muted',
      success: 'bg-success/20 text-success',
      warning: 'bg-warning/20 text-warning',
    },
  },
  defaultVariants: { variant: 'default' },
});

export function Badge({ className, variant, ...props }: HTMLAttributes<HTMLSpanElement> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ variant }), className)} {...props} />;
}
