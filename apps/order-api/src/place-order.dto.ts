import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class AddressDto {
  @IsString() @IsNotEmpty() @MaxLength(200) street!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) city!: string;
  @IsString() @IsNotEmpty() @MaxLength(20) postalCode!: string;
  @IsString() @Length(2, 2) country!: string;
}

export class OrderItemDto {
  @IsString() @IsNotEmpty() @MaxLength(64) sku!: string;
  @IsInt() @Min(1) quantity!: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) price!: number;
}

/**
 * The body of `POST /orders`. Text PostgreSQL cannot store (a NUL character, a lone surrogate) passes here and is
 * refused by `WorkflowStarter.start` before any write: 400 `INVALID_INITIAL_STATE` naming the field (`order.customerId`).
 */
export class PlaceOrderDto {
  /** Makes the request idempotent: the same id places the order once. Generated when absent. */
  @IsOptional() @IsUUID() workflowId?: string;
  @IsString() @IsNotEmpty() @MaxLength(64) orderId!: string;
  @IsString() @IsNotEmpty() @MaxLength(64) customerId!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => OrderItemDto) @ArrayMinSize(1) @ArrayMaxSize(100) items!: OrderItemDto[];
  @IsDefined() @ValidateNested() @Type(() => AddressDto) shippingAddress!: AddressDto;
}
